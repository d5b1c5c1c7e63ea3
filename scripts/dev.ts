/**
 * `npm run dev`: the game server (restarted on change) and the Vite dev server (hot reload) side
 * by side. The page at http://localhost:5173 talks to the game server on PORT (default 2567).
 */
import { spawn, type ChildProcess } from "node:child_process";

const port = process.env["PORT"] ?? "2567";
const children: ChildProcess[] = [
  spawn(process.execPath, ["--watch", "--import", "tsx", "server/src/main.ts"], {
    stdio: "inherit",
    // The page is served by Vite on another origin: it needs a CORS grant from the game server.
    // A game developed beside it receives its webhooks on this machine (off on any other server).
    env: {
      ...process.env,
      PORT: port,
      SERVE_CLIENT: "false",
      CORS_ORIGINS: process.env["CORS_ORIGINS"] ?? "http://localhost:5173",
      WEBHOOK_ALLOW_LOOPBACK: process.env["WEBHOOK_ALLOW_LOOPBACK"] ?? "true",
    },
  }),
  spawn(process.execPath, ["node_modules/vite/bin/vite.js", "client"], {
    stdio: "inherit",
    env: { ...process.env, VITE_TAVERN_URL: process.env["VITE_TAVERN_URL"] ?? `http://localhost:${port}` },
  }),
];

const stop = () => {
  for (const child of children) child.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.on("exit", (code) => code && code !== 0 && stop());
