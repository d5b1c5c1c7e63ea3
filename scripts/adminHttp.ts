/**
 * What the operator scripts (npm run keys, npm run sessions) share: a call to a running server's
 * admin API with the admin credentials, and one readable line when it cannot be made.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ADMIN_ENV_HELP = `The server: TAVERN_URL (default http://localhost:2567), as ADMIN_USER (default admin) with
ADMIN_PASSWORD, or else the password the server keeps in DATA_DIR/admin-password (default ./data).`;

export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function adminPassword(): string {
  const fromEnv = process.env["ADMIN_PASSWORD"];
  if (fromEnv) return fromEnv;
  const file = join(process.env["DATA_DIR"] ?? "./data", "admin-password");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return fail(`No admin password: set ADMIN_PASSWORD, or run this where the server keeps ${file}.`);
  }
}

export async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = process.env["TAVERN_URL"] ?? "http://localhost:2567";
  const auth = Buffer.from(`${process.env["ADMIN_USER"] ?? "admin"}:${adminPassword()}`).toString("base64");
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Basic ${auth}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    return fail(
      `Cannot reach the server at ${base} (${(err as Error).cause ?? (err as Error).message}): is it running? Set TAVERN_URL otherwise.`,
    );
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as { message?: string }) : {};
  if (res.status === 401) fail("The server refused the admin credentials (ADMIN_USER / ADMIN_PASSWORD).");
  if (!res.ok) fail(`${res.status}: ${parsed.message ?? text}`);
  return parsed;
}
