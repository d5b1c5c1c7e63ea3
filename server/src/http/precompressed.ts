/**
 * Sends a file's build-time compressed twin (`name.br` or `name.gz`, written by the client build:
 * client/vite/precompress.ts) when the request accepts that encoding, instead of compressing the
 * same bytes again on every request. Brotli is preferred (smaller); a request that accepts
 * neither, or a file without a twin, falls through to the plain file.
 */
import { existsSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import type { RequestHandler, Response } from "express";

/** Encodings the build writes, in the order the server prefers them, with the twin's suffix. */
const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

export interface PrecompressedOptions {
  /** Headers of every answer (the cache policy of the folder). */
  setHeaders(res: Response): void;
}

export function precompressed(dir: string, options: PrecompressedOptions): RequestHandler {
  const root = normalize(dir + sep);
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(req.path)));
    } catch {
      return next(); // a malformed escape: the static handler answers it
    }
    // Only files inside the folder, and never the twins themselves by name.
    if (!path.startsWith(root) || ENCODINGS.some((e) => path.endsWith(e.suffix))) return next();
    const encoding = ENCODINGS.find((e) => req.acceptsEncodings(e.name) === e.name && existsSync(path + e.suffix));
    // The answer depends on Accept-Encoding whether or not a twin was sent this time.
    res.vary("Accept-Encoding");
    if (!encoding) return next();
    options.setHeaders(res);
    res.setHeader("Content-Encoding", encoding.name);
    // The type of the original file, not of its .br/.gz twin.
    res.type(extname(path));
    res.sendFile(path + encoding.suffix, { dotfiles: "deny", cacheControl: false }, (err) => {
      if (err) next(err);
    });
  };
}
