import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { precompress } from "./vite/precompress.ts";

// The client is built into client/dist (served by the game server at /) or, in test mode, into
// client/dist-test with the window.__tavern hook compiled in. The panels are Preact components.
// Hashed files are precompressed (.br, .gz) for the server to send as they are.
export default defineConfig(({ mode }) => ({
  root: import.meta.dirname,
  plugins: [preact(), precompress()],
  // The same alias as tsconfig.json's paths (tsc and tsx read those; Vite reads this).
  resolve: { alias: { "@tavern/shared": fileURLToPath(new URL("../shared/src", import.meta.url)) } },
  build: {
    outDir: mode === "test" ? "dist-test" : "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { port: 5173, strictPort: true },
}));
