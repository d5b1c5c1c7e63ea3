import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { MIN_BYTES, precompressDir } from "../../client/vite/precompress";

describe("the build's precompression", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tavern-precompress-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a Brotli and a gzip twin that decode to the file, for compressible files worth it only", async () => {
    const script = "export const x = 1;\n".repeat(200);
    writeFileSync(join(dir, "index-abc.js"), script);
    writeFileSync(join(dir, "index-abc.css"), "a{}".repeat(MIN_BYTES));
    writeFileSync(join(dir, "tiny-abc.js"), "export {};\n");
    writeFileSync(join(dir, "art-abc.png"), Buffer.alloc(4 * MIN_BYTES));
    mkdirSync(join(dir, "folder.js"));

    assert.deepEqual(await precompressDir(dir), ["index-abc.css", "index-abc.js"]);
    assert.equal(brotliDecompressSync(readFileSync(join(dir, "index-abc.js.br"))).toString("utf8"), script);
    assert.equal(gunzipSync(readFileSync(join(dir, "index-abc.js.gz"))).toString("utf8"), script);
    assert.ok(readFileSync(join(dir, "index-abc.js.br")).length < script.length / 10);
    assert.equal(existsSync(join(dir, "tiny-abc.js.br")), false, "below MIN_BYTES: no twin");
    assert.equal(existsSync(join(dir, "art-abc.png.br")), false, "images are compressed already");
  });
});
