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
    const res = await fetch(`${this.endpoint}/api/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // JSON leaves out what is undefined: no device id yet, no character picked.
      body: JSON.stringify({ name, deviceId, character }),
    });
    const body: unknown = await res.json();
    if (!res.ok) throw toErrorBody({ name: "rejected", reason: body });
    const session = body as GuestSession;
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
