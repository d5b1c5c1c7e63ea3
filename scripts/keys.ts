/**
 * `npm run keys -- create|list|rotate|revoke`: API keys for external games, through a running
 * server's admin API (so it works whichever database the server uses, embedded one included).
 */
import { parseArgs } from "node:util";
import type { ApiKeyView } from "@tavern/shared/platform";
import { ADMIN_ENV_HELP, call, fail } from "./adminHttp";

const USAGE = `npm run keys -- <command> [options]

  create --name NAME --scopes S1,S2 [--room CODE] [--expires-days N]
         scopes: rooms:read, players:write, games:write, webhooks:manage
         prints the key once: store it where the game keeps secrets
  list
  rotate ID [--grace-seconds N]   a new key; the old one works N more seconds (default 86400)
  revoke ID                       the key stops at once

  --json  print the server's JSON reply

${ADMIN_ENV_HELP}`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    scopes: { type: "string" },
    room: { type: "string" },
    "expires-days": { type: "string" },
    "grace-seconds": { type: "string", default: "86400" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});

type KeyView = ApiKeyView & { key?: string };

function stateOf(k: KeyView): string {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && Date.parse(k.expiresAt) <= Date.now()) return k.replacedBy ? "rotated out" : "expired";
  if (k.replacedBy) return `rotated (grace until ${k.expiresAt})`;
  return "active";
}

function show(result: unknown): void {
  if (values.json) return console.log(JSON.stringify(result, null, 2));
  const key = result as KeyView;
  if (key.key) {
    console.log(`key ${key.id} "${key.name}" (${key.scopes.join(", ")}${key.roomCode ? `, room ${key.roomCode} only` : ""})`);
    console.log(`\n  ${key.key}\n\nThis is the only time the key is shown.`);
    return;
  }
  console.log(`key ${key.id}: ${stateOf(key)}`);
}

const [command, id] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

switch (command) {
  case "create": {
    if (!values.name || !values.scopes) fail("create needs --name and --scopes (see npm run keys -- --help).");
    const days = values["expires-days"] === undefined ? undefined : Number(values["expires-days"]);
    if (days !== undefined && !(days > 0)) fail(`--expires-days must be a positive number, got "${values["expires-days"]}".`);
    const body = {
      name: values.name,
      scopes: values.scopes.split(",").map((s) => s.trim()),
      ...(values.room ? { roomCode: values.room } : {}),
      ...(days ? { expiresInSeconds: Math.round(days * 86_400) } : {}),
    };
    show(await call("POST", "/admin/api-keys", body));
    break;
  }
  case "list": {
    const { keys } = (await call("GET", "/admin/api-keys")) as { keys: KeyView[] };
    if (values.json) {
      console.log(JSON.stringify(keys, null, 2));
      break;
    }
    if (keys.length === 0) console.log("no API keys yet: npm run keys -- create --name NAME --scopes ...");
    for (const k of keys) {
      const room = k.roomCode ? ` room ${k.roomCode}` : "";
      console.log(
        `${k.id}  ${k.name}  [${k.scopes.join(",")}]${room}  created ${k.createdAt}  last used ${k.lastUsedAt ?? "never"}  ${stateOf(k)}`,
      );
    }
    break;
  }
  case "rotate": {
    if (!id) fail("rotate needs the key's id (npm run keys -- list shows them).");
    const grace = Number(values["grace-seconds"]);
    if (!Number.isInteger(grace) || grace < 0) fail(`--grace-seconds must be a whole number >= 0, got "${values["grace-seconds"]}".`);
    show(await call("POST", `/admin/api-keys/${encodeURIComponent(id)}/rotate`, { graceSeconds: grace }));
    break;
  }
  case "revoke": {
    if (!id) fail("revoke needs the key's id (npm run keys -- list shows them).");
    show(await call("POST", `/admin/api-keys/${encodeURIComponent(id)}/revoke`, {}));
    break;
  }
  default:
    fail(`Unknown command "${command}".\n\n${USAGE}`);
}
