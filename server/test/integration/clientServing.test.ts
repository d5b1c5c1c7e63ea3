/**
 * Serving the built client as a product: hashed assets cached for good, the page revalidated,
 * missing assets a plain 404, answers compressed as the request accepts (the build's Brotli and
 * gzip twins sent as they are), CORS grants only to listed origins and never with credentials;
 * and none of it in the way of matchmaking and the WebSocket. The server is a real process
 * serving a small built client made here.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { Client } from "@colyseus/sdk";
import { signInGuest } from "@tavern/shared/guestSignIn";
import { startServerProcess, type ServerProcess } from "../support/serverProcess";
import { waitFor } from "../support/wait";

const ADMIN_AUTH = `Basic ${Buffer.from("admin:durability-test-admin").toString("base64")}`;
const TRUSTED = "http://trusted.example";
const IMMUTABLE = "public, max-age=31536000, immutable";

/** A built client as Vite writes it: the page, an unhashed public file, a hashed chunk with its twins. */
function writeBuiltClient(dir: string): { script: string; scriptPath: string } {
  mkdirSync(join(dir, "assets"), { recursive: true });
  const scriptPath = "/assets/index-AbC123xY.js";
  const script = `export const greeting = ${JSON.stringify("hello tavern ".repeat(400))};\n`;
  writeFileSync(join(dir, scriptPath), script);
  writeFileSync(join(dir, `${scriptPath}.br`), brotliCompressSync(script));
  writeFileSync(join(dir, `${scriptPath}.gz`), gzipSync(script));
  writeFileSync(join(dir, "assets", "index-Zz9.css"), "body { color: black; }\n");
  writeFileSync(join(dir, "index.html"), `<!doctype html><script type="module" src="${scriptPath}"></script>\n`);
  writeFileSync(join(dir, "favicon.svg"), `<svg xmlns="http://www.w3.org/2000/svg"/>\n`);
  return { script, scriptPath };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent, not decoded. */
  body: Buffer;
}

/** A request whose answer is read as sent (fetch would decode it). */
function raw(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serving the client", function () {
  this.timeout(60_000);
  let server: ServerProcess;
  let built: { script: string; scriptPath: string };
  const dataDir = mkdtempSync(join(tmpdir(), "tavern-serving-"));
  const clientDir = join(dataDir, "client");

  before(async () => {
    built = writeBuiltClient(clientDir);
    server = await startServerProcess({
      dataDir,
      env: { SERVE_CLIENT: "true", CLIENT_DIR: clientDir, CORS_ORIGINS: TRUSTED, LOG_LEVEL: "warn" },
    });
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("caches hashed assets for a year as immutable, and revalidates the page and unhashed files", async () => {
    const asset = await raw(`${server.url}${built.scriptPath}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers["cache-control"], IMMUTABLE);
    assert.match(String(asset.headers["content-type"]), /javascript/);
    const css = await raw(`${server.url}/assets/index-Zz9.css`);
    assert.equal(css.headers["cache-control"], IMMUTABLE, "a file without a twin is immutable too");

    for (const path of ["/", "/index.html", "/favicon.svg"]) {
      const page = await raw(`${server.url}${path}`);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers["cache-control"], "no-cache", path);
      const etag = page.headers["etag"];
      assert.ok(typeof etag === "string" && etag.length > 0, `${path} has an ETag`);
      const again = await raw(`${server.url}${path}`, { "if-none-match": etag });
      assert.equal(again.status, 304, `${path} revalidates to 304 while unchanged`);
    }
  });

  it("answers 404 for an asset that is not there, never the page", async () => {
    for (const path of ["/assets/index-Gone1234.js", "/assets/", "/assets/nested/missing.css"]) {
      const res = await raw(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body.toString("utf8"), /<script/, `${path} is not index.html`);
      assert.notEqual(res.headers["cache-control"], IMMUTABLE, `${path}: a 404 is never cached for good`);
    }
  });

  it("sends the build's Brotli or gzip twin as the request accepts, and the plain file otherwise", async () => {
    const url = `${server.url}${built.scriptPath}`;
    const br = await raw(url, { "accept-encoding": "gzip, deflate, br" });
    assert.equal(br.headers["content-encoding"], "br", "Brotli preferred when accepted");
    assert.equal(brotliDecompressSync(br.body).toString("utf8"), built.script);
    assert.match(String(br.headers["vary"]), /accept-encoding/i);
    assert.match(String(br.headers["content-type"]), /javascript/, "the type of the file, not of its twin");
    assert.equal(br.headers["cache-control"], IMMUTABLE);

    const gz = await raw(url, { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(gz.body).toString("utf8"), built.script);

    const refused = await raw(url, { "accept-encoding": "br;q=0, gzip" });
    assert.equal(refused.headers["content-encoding"], "gzip", "q=0 refuses an encoding");

    const plain = await raw(url, { "accept-encoding": "identity" });
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.body.toString("utf8"), built.script);

    const etags = new Set([br, gz, plain].map((a) => a.headers["etag"]));
    assert.equal(etags.size, 3, "each encoding is its own representation, with its own ETag");
  });

  it("compresses the API and /metrics on the fly", async () => {
    const metrics = await raw(`${server.url}/metrics`, { authorization: ADMIN_AUTH, "accept-encoding": "gzip" });
    assert.equal(metrics.status, 200);
    assert.equal(metrics.headers["content-encoding"], "gzip");
    assert.match(gunzipSync(metrics.body).toString("utf8"), /tavern_/);

    // A JSON answer large enough to be worth compressing: the room list with rooms in it.
    const session = await signInGuest(server.url, "Lister", {});
    for (let i = 0; i < 12; i++) {
      const created = await fetch(`${server.url}/api/rooms`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ type: "space", config: { maxPlayers: 8 } }),
      });
      assert.equal(created.status, 201);
    }
    const list = await raw(`${server.url}/api/rooms`, { "accept-encoding": "br" });
    assert.equal(list.status, 200);
    assert.equal(list.headers["content-encoding"], "br");
    assert.ok(Array.isArray(JSON.parse(brotliDecompressSync(list.body).toString("utf8")).rooms));
  });

  it("leaves matchmaking and the WebSocket alone: a browser-like client creates, joins and gets state", async () => {
    const session = await signInGuest(server.url, "Walker", {});
    const mm = await raw(`${server.url}/matchmake/create/space`, { "accept-encoding": "gzip, br" }, "OPTIONS");
    assert.equal(mm.status, 204);
    const client = new Client(server.url);
    client.auth.token = session.token;
    const room = await client.create("space", {});
    try {
      await waitFor("state of the new room", () => Boolean((room.state as { code?: string } | undefined)?.code));
    } finally {
      await room.leave(true);
    }
  });

  it("CORS: listed origins only, never `*`, never credentials, and always `Vary: Origin`", async () => {
    const paths = ["/", built.scriptPath, "/assets/missing.js", "/api/rooms", "/healthz", "/metrics", "/matchmake/create/space"];
    for (const origin of [TRUSTED, "https://evil.example", "null"]) {
      for (const path of paths) {
        for (const method of ["GET", "OPTIONS"]) {
          const res = await raw(
            `${server.url}${path}`,
            { origin, authorization: ADMIN_AUTH, "access-control-request-method": "POST" },
            method,
          );
          const where = `${method} ${path} from ${origin}`;
          const grant = res.headers["access-control-allow-origin"];
          // A preflight is answered by Colyseus before any route, from the origin alone; an admin
          // answer itself carries no grant, so no page can read it.
          const granted = origin === TRUSTED && (method === "OPTIONS" || path !== "/metrics");
          const expected = granted ? TRUSTED : undefined;
          assert.equal(grant, expected, where);
          assert.notEqual(grant, "*", where);
          assert.equal(res.headers["access-control-allow-credentials"], undefined, `${where}: never credentials`);
          // The answer depends on Origin whichever origin asked: a shared cache must not hand one
          // origin's answer (granted or not) to another.
          assert.match(String(res.headers["vary"]), /origin/i, `${where}: Vary: Origin`);
        }
      }
    }
  });
});
