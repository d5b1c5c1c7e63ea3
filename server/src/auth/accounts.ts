/**
 * Accounts: a guest claims their player id under a user name and password, and can then sign in
 * from any browser as the same player (their sessions, GM roles and kicks follow the player id).
 * A password change or "sign out everywhere" raises the account's token version: every token
 * issued before stops working. Wrong names and wrong passwords fail alike, in the same time.
 */
import { eq, sql } from "drizzle-orm";
import { TavernError } from "@tavern/shared/errors";
import type { Db } from "../persistence/database";
import { accounts } from "../persistence/schema";
import { DUMMY_HASH, hashPassword, verifyPassword } from "./passwords";

/** How processes tell each other an account's token version changed (the Colyseus presence). */
export interface AccountChanges {
  publish(playerId: string): void;
  subscribe(onChange: (playerId: string) => void): void;
}

export interface SignedInAccount {
  playerId: string;
  username: string;
  tokenVersion: number;
}

/** How long a player's token version is trusted from memory; changes are also published at once. */
const VERSION_CACHE_MS = 30_000;
const VERSION_CACHE_MAX = 50_000;
const WRONG = "Wrong user name or password.";

export function usernameKey(username: string): string {
  return username.trim().normalize("NFKC").toLowerCase();
}

export class AccountStore {
  private readonly versions = new Map<string, { version: number | undefined; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly changes?: AccountChanges,
  ) {
    changes?.subscribe((playerId) => this.versions.delete(playerId));
  }

  /** The guest `playerId` keeps its id under this user name from now on. */
  async claim(playerId: string, username: string, password: string): Promise<SignedInAccount> {
    const passwordHash = await hashPassword(password);
    const key = usernameKey(username);
    const inserted = await this.db
      .insert(accounts)
      .values({ playerId, username: username.trim(), usernameKey: key, passwordHash })
      .onConflictDoNothing()
      .returning({ playerId: accounts.playerId });
    if (inserted.length === 0) {
      const [mine] = await this.db.select({ username: accounts.username }).from(accounts).where(eq(accounts.playerId, playerId));
      if (mine) throw new TavernError("ALREADY_EXISTS", `You claimed your identity already, as ${mine.username}.`, { what: "account" });
      throw new TavernError("ALREADY_EXISTS", `The user name ${username.trim()} is taken: choose another.`, { what: "username" });
    }
    this.changed(playerId);
    return { playerId, username: username.trim(), tokenVersion: 0 };
  }

  async login(username: string, password: string): Promise<SignedInAccount> {
    const [row] = await this.db
      .select()
      .from(accounts)
      .where(eq(accounts.usernameKey, usernameKey(username)));
    // The hash is checked whether or not the name exists: same time, same answer.
    const matches = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !matches) throw new TavernError("UNAUTHORIZED", WRONG);
    return { playerId: row.playerId, username: row.username, tokenVersion: row.tokenVersion };
  }

  /** A new password; every other device is signed out (the caller is given a fresh token). */
  async changePassword(playerId: string, currentPassword: string, newPassword: string): Promise<SignedInAccount> {
    const row = await this.row(playerId);
    if (!(await verifyPassword(currentPassword, row.passwordHash))) throw new TavernError("UNAUTHORIZED", "The current password is wrong.");
    const passwordHash = await hashPassword(newPassword);
    return this.bump(playerId, { passwordHash });
  }

  /** Every token issued so far stops working, this one's included. */
  async signOutEverywhere(playerId: string): Promise<SignedInAccount> {
    await this.row(playerId);
    return this.bump(playerId, {});
  }

  /**
   * A player id minted just now has no account: its first joins need not ask the database (a
   * storm of new guests made one query per join). A claim later publishes the change as usual.
   */
  knownNewGuest(playerId: string): void {
    if (this.versions.size >= VERSION_CACHE_MAX) this.versions.clear();
    this.versions.set(playerId, { version: undefined, at: Date.now() });
  }

  /** The user name a player claimed, if any. */
  async usernameOf(playerId: string): Promise<string | undefined> {
    const [row] = await this.db.select({ username: accounts.username }).from(accounts).where(eq(accounts.playerId, playerId));
    return row?.username;
  }

  /** The token version a player's tokens must carry, or undefined for a guest without an account. */
  async versionOf(playerId: string): Promise<number | undefined> {
    const now = Date.now();
    const hit = this.versions.get(playerId);
    if (hit && now - hit.at < VERSION_CACHE_MS) return hit.version;
    const [row] = await this.db.select({ v: accounts.tokenVersion }).from(accounts).where(eq(accounts.playerId, playerId));
    if (this.versions.size >= VERSION_CACHE_MAX) this.versions.clear();
    this.versions.set(playerId, { version: row?.v, at: now });
    return row?.v;
  }

  private async row(playerId: string) {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.playerId, playerId));
    if (!row) throw new TavernError("NOT_FOUND", "You have no account: claim your identity first.");
    return row;
  }

  private async bump(playerId: string, set: { passwordHash?: string }): Promise<SignedInAccount> {
    const [row] = await this.db
      .update(accounts)
      .set({ ...set, tokenVersion: sql`${accounts.tokenVersion} + 1`, updatedAt: new Date() })
      .where(eq(accounts.playerId, playerId))
      .returning();
    this.changed(playerId);
    return { playerId, username: row!.username, tokenVersion: row!.tokenVersion };
  }

  private changed(playerId: string): void {
    this.versions.delete(playerId);
    this.changes?.publish(playerId);
  }
}
