/**
 * The built browser client at `/`, cached as a product's should be. Vite names every file under
 * assets/ by a hash of its content, so a name never changes meaning: those are cached for a year
 * and never revalidated (`immutable`). Everything else (index.html, the favicon) must be asked for
 * again each time (`no-cache`, answered 304 while its ETag holds), so a new build reaches players
 * at their next load. A missing asset is a plain 404: a page of an older build that asks for a
 * chunk gone since must see the failure, not an index.html parsed as script.
 */
import { join } from "node:path";
import express, { Router, type Response } from "express";
import { precompressed } from "./precompressed";

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

const immutable = (res: Response) => res.setHeader("Cache-Control", IMMUTABLE);
const revalidate = (res: Response) => res.setHeader("Cache-Control", REVALIDATE);

export function clientFiles(dir: string): Router {
  const assets = join(dir, "assets");
  const router = Router();
  router.use(
    "/assets",
    precompressed(assets, { setHeaders: immutable }),
    express.static(assets, { cacheControl: false, setHeaders: immutable, index: false, redirect: false }),
    (_req, res) => {
      res.status(404).type("text/plain").send("Not found\n");
    },
  );
  router.use(express.static(dir, { cacheControl: false, setHeaders: revalidate }));
  return router;
}
