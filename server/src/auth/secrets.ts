import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The token-signing secret when AUTH_SECRET is unset: generated once and kept in the data folder,
 * so guest tokens (and with them, seats and GM identities) survive a restart of a dev server.
 */
export function loadOrCreateAuthSecret(dataDir: string): string {
  const file = join(dataDir, "auth-secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: fall through and create it
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
