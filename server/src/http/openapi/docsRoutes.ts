/**
 * Serves the platform API's OpenAPI document and a reference page made by Swagger UI from the
 * swagger-ui-dist files installed with the server: the page loads nothing from elsewhere, so it
 * works offline and needs no CDN.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Application } from "express";
import { OPENAPI_PATH, openApiDocument } from "./document";

export const DOCS_PATH = "/api/docs";

/** The Swagger UI files the page uses (the package holds more: source maps, other bundles). */
const ASSETS = ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png", "favicon-16x16.png"];

// The package's main module loads the whole bundle into Node; only its folder is needed here.
const assetDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Tavern platform API</title>
    <link rel="stylesheet" href="./swagger-ui.css" />
    <link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="./favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="./swagger-ui-bundle.js"></script>
    <script src="./swagger-ui-standalone-preset.js"></script>
    <script src="./tavern-init.js"></script>
  </body>
</html>
`;

const INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  });
};
`;

export function mountApiDocs(app: Application): void {
  app.get(OPENAPI_PATH, (_req, res) => {
    res.json(openApiDocument());
  });
  // One route for both: express matches /api/docs/ with /api/docs. The page's relative asset
  // links need the trailing slash.
  app.get(DOCS_PATH, (req, res) => {
    if (!req.originalUrl.split("?")[0]!.endsWith("/")) return res.redirect(301, `${DOCS_PATH}/`);
    res.type("html").send(PAGE);
  });
  app.get(`${DOCS_PATH}/tavern-init.js`, (_req, res) => {
    res.type("application/javascript").send(INIT);
  });
  for (const file of ASSETS) {
    app.get(`${DOCS_PATH}/${file}`, (_req, res) => {
      res.sendFile(join(assetDir, file), { maxAge: "1d" });
    });
  }
}
