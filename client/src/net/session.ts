/**
 * The guest's sign-in, and the browser's device id kept beside it.
 *
 * A sign-in is the browser's guest (localStorage: every tab and window of this browser shares it,
 * and a reload takes back the same seat) unless a tab asked for a guest of its own: that one lives
 * in the tab's sessionStorage, so two windows of one browser can be two players. A tab that chose
 * its own guest keeps choosing it (its next sign-in is again its own) until it signs in for the
 * whole browser.
 */
import type { Client } from "@colyseus/sdk";
import { toErrorBody } from "@tavern/shared/errors";
import { deviceIdSchema, type GuestSession } from "@tavern/shared/protocol";

/** The browser's guest, shared by its tabs. */
const SESSION_KEY = "tavern.session";
/** This tab's own guest (sessionStorage): `{ session?: GuestSession }`, present once the tab chose one. */
const TAB_KEY = "tavern.tabGuest";
/**
 * The browser's device id (issued by the server at the first sign-in). Kept apart from the session
 * and never removed, so a "new guest" is still this device and a kick covers it. Clearing the
 * site's storage loses it: that is why a host can also lock a room.
 */
const DEVICE_KEY = "tavern.device";

/** Whose sign-in this tab uses: the browser's (shared by its tabs) or one of its own. */
export type GuestScope = "browser" | "tab";

interface TabGuest {
  session?: GuestSession;
}

export class Session {
  current: GuestSession | undefined;
  scope: GuestScope;

  constructor(
    private readonly endpoint: string,
    private readonly sdk: Client,
    private readonly changed: (session: GuestSession | undefined) => void,
  ) {
    const tab = loadTabGuest();
    this.scope = tab ? "tab" : "browser";
    this.current = tab ? usable(tab.session) : usable(readJson<GuestSession>(localStorage, SESSION_KEY));
    if (this.current) this.sdk.auth.token = this.current.token;
  }

  get playerId(): string {
    return this.current?.playerId ?? "";
  }

  /** This browser's device id, once a sign-in has given it one. */
  get deviceId(): string | undefined {
    return loadDeviceId();
  }

  /**
   * Signs in as a new guest, for the whole browser or for this tab only, as the character picked
   * (an index in CHARACTERS; without one each room gives one).
   */
  async signIn(name: string, scope: GuestScope = this.scope, character?: number): Promise<GuestSession> {
    const deviceId = loadDeviceId();
    // JSON leaves out what is undefined: no device id yet, no character picked.
    return this.keep(await this.post("/api/auth/guest", { name, deviceId, character }), scope);
  }

  /** Signs in to a claimed account (same player id as where it was claimed) in this tab's scope. */
  async logIn(username: string, password: string): Promise<GuestSession> {
    const deviceId = loadDeviceId();
    return this.keep(await this.post("/api/auth/login", { username, password, ...(deviceId ? { deviceId } : {}) }), this.scope);
  }

  /** Claims the current guest's identity under a user name and password. */
  async claim(username: string, password: string): Promise<GuestSession> {
    return this.keep(await this.post("/api/auth/claim", { username, password }, true), this.scope);
  }

  /**
   * The stored token is exchanged for a fresh one (each page load does it), so a player who keeps
   * coming back never meets an expired sign-in. A refusal (expired, signed out everywhere) forgets it.
   */
  async renew(): Promise<void> {
    const current = this.current;
    if (!current) return;
    try {
      const renewed = await this.post("/api/auth/refresh", {}, true);
      // The player may have signed out or in as someone else meanwhile.
      if (this.current?.playerId === renewed.playerId) this.keep(renewed, this.scope);
    } catch (err) {
      if ((err as { code?: string }).code === "UNAUTHORIZED" && this.current === current) this.signOut();
    }
  }

  /** Ends every sign-in of this account (other browsers too), then this one. */
  async signOutEverywhere(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const res = await fetch(`${this.endpoint}/api/auth/signout-everywhere`, {
      method: "POST",
      headers: { authorization: `Bearer ${current.token}` },
    });
    if (!res.ok) throw toErrorBody({ name: "rejected", reason: await res.json() });
    this.signOut();
  }

  /** A fresh token the server sent for this same player (on join). */
  adopt(session: GuestSession): void {
    if (session.playerId === this.current?.playerId) this.keep(session, this.scope);
  }

  private async post(path: string, payload: unknown, authorized = false): Promise<GuestSession> {
    const res = await fetch(`${this.endpoint}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(authorized && this.current ? { authorization: `Bearer ${this.current.token}` } : {}),
      },
      body: JSON.stringify(payload),
    });
    const body: unknown = await res.json();
    if (!res.ok) throw toErrorBody({ name: "rejected", reason: body });
    return body as GuestSession;
  }

  private keep(session: GuestSession, scope: GuestScope): GuestSession {
    this.current = session;
    this.scope = scope;
    this.sdk.auth.token = session.token;
    if (scope === "tab") {
      sessionStorage.setItem(TAB_KEY, JSON.stringify({ session } satisfies TabGuest));
    } else {
      sessionStorage.removeItem(TAB_KEY);
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    }
    if (session.deviceId) localStorage.setItem(DEVICE_KEY, session.deviceId);
    this.changed(session);
    return session;
  }

  /**
   * Forgets this tab's guest (the next sign-in is a new one); the device id stays. The browser's
   * guest is forgotten for every tab's next page load; a tab's own guest only in this tab.
   */
  signOut(): void {
    if (this.scope === "tab") sessionStorage.setItem(TAB_KEY, JSON.stringify({} satisfies TabGuest));
    else localStorage.removeItem(SESSION_KEY);
    this.forget();
  }

  /** This tab stops using the browser's guest and asks for a guest of its own; other tabs keep theirs. */
  newGuestInThisTab(): void {
    this.scope = "tab";
    sessionStorage.setItem(TAB_KEY, JSON.stringify({} satisfies TabGuest));
    this.forget();
  }

  private forget(): void {
    this.current = undefined;
    this.sdk.auth.token = undefined as unknown as string;
    this.changed(undefined);
  }
}

function readJson<T>(storage: Storage, key: string): T | undefined {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

function loadTabGuest(): TabGuest | undefined {
  const tab = readJson<TabGuest>(sessionStorage, TAB_KEY);
  return tab && typeof tab === "object" ? tab : undefined;
}

/** A stored session still good for a while (a token about to expire is not worth a join). */
function usable(session: GuestSession | undefined): GuestSession | undefined {
  return session && Date.parse(session.expiresAt) > Date.now() + 60_000 ? session : undefined;
}

function loadDeviceId(): string | undefined {
  try {
    const stored = localStorage.getItem(DEVICE_KEY);
    // A value the server would refuse is dropped: the next sign-in gets a new one.
    return stored && deviceIdSchema.safeParse(stored).success ? stored : undefined;
  } catch {
    return undefined;
  }
}
