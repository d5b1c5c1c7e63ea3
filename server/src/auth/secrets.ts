import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A secret kept in the data folder, and whether this call created it (first start). */
export interface KeptSecret {
  value: string;
  created: boolean;
  file: string;
}

/**
 * The token-signing secret when AUTH_SECRET is unset: generated once and kept in the data folder,
 * so guest tokens (and with them, seats and GM identities) survive a restart of a dev server.
 */
export function loadOrCreateAuthSecret(dataDir: string): string {
  return keep(join(dataDir, "auth-secret"), 32, () => randomBytes(32).toString("base64url")).value;
}

/**
 * The monitor's password when ADMIN_PASSWORD is unset: generated once and kept beside the auth
 * secret, so the password printed at the first start still works after a restart.
 */
export function loadOrCreateAdminPassword(dataDir: string): KeptSecret {
  return keep(join(dataDir, "admin-password"), 8, generatePassword);
}

export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

function keep(file: string, minLength: number, generate: () => string): KeptSecret {
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= minLength) return { value: existing, created: false, file };
  } catch {
    // first start: fall through and create it
  }
  mkdirSync(dirname(file), { recursive: true });
  const value = generate();
  writeFileSync(file, value + "\n", { mode: 0o600 });
  return { value, created: true, file };
}
