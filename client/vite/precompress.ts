/**
 * Compresses the built client once, at build time, so the server sends the smallest files at no
 * CPU cost per request: next to each hashed file under assets/ it writes `name.br` (Brotli at its
 * best quality, about a fifth smaller than the gzip a server makes on the fly) and `name.gz`
 * (gzip -9, for browsers that do not take Brotli, such as any browser on plain http). The server
 * picks one by the request's Accept-Encoding (server/src/http/precompressed.ts).
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Plugin } from "vite";

/** Files that compress well; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|wasm)$/;
/** Below this, the encoded answer saves less than its headers cost. */
export const MIN_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Writes `.br` and `.gz` beside every compressible file of `dir` of at least MIN_BYTES; returns the files done. */
export async function precompressDir(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => COMPRESSIBLE.test(name));
  const done: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      if (!(await stat(path)).isFile()) return;
      const content = await readFile(path);
      if (content.length < MIN_BYTES) return;
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gz)]);
      done.push(name);
    }),
  );
  return done.sort();
}

/** The Vite plugin: after a build has written its files, precompresses `<outDir>/<assetsDir>`. */
export function precompress(): Plugin {
  let assetsPath = "";
  return {
    name: "tavern-precompress",
    apply: "build",
    configResolved(config) {
      assetsPath = resolve(config.root, config.build.outDir, config.build.assetsDir);
    },
    async closeBundle() {
      const done = await precompressDir(assetsPath);
      this.info(`precompressed ${done.length} files (.br, .gz)`);
    },
  };
}
