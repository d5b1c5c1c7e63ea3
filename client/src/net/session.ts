/**
 * The guest's sign-in, kept in localStorage so a reload takes back the same seat, and the
 * browser's device id kept beside it.
 */
import type { Client } from "@colyseus/sdk";
import { toErrorBody } from "@tavern/shared/errors";
import { deviceIdSchema, type GuestSession } from "@tavern/shared/protocol";

const SESSION_KEY = "tavern.session";
/**
 * The browser's device id (issued by the server at the first sign-in). Kept apart from the session
 * and never removed, so a "new guest" is still this device and a kick covers it. Clearing the
 * site's storage loses it: that is why a host can also lock a room.
 */
const DEVICE_KEY = "tavern.device";

export class Session {
  current: GuestSession | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly sdk: Client,
    private readonly changed: (session: GuestSession | undefined) => void,
  ) {
    this.current = loadSession();
    if (this.current) this.sdk.auth.token = this.current.token;
  }

  get playerId(): string {
    return this.current?.playerId ?? "";
  }

  /** This browser's device id, once a sign-in has given it one. */
  get deviceId(): string | undefined {
    return loadDeviceId();
  }

  async signIn(name: string): Promise<GuestSession> {
    const deviceId = loadDeviceId();
    const res = await fetch(`${this.endpoint}/api/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(deviceId ? { name, deviceId } : { name }),
    });
    const body: unknown = await res.json();
    if (!res.ok) throw toErrorBody({ name: "rejected", reason: body });
    const session = body as GuestSession;
    this.current = session;
    this.sdk.auth.token = session.token;
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    if (session.deviceId) localStorage.setItem(DEVICE_KEY, session.deviceId);
    this.changed(session);
    return session;
  }

  /** Forgets the guest (the next sign-in is a new one); the device id stays. */
  signOut(): void {
    localStorage.removeItem(SESSION_KEY);
    this.current = undefined;
    this.sdk.auth.token = undefined as unknown as string;
    this.changed(undefined);
  }
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

function loadSession(): GuestSession | undefined {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as GuestSession;
    return Date.parse(session.expiresAt) > Date.now() + 60_000 ? session : undefined;
  } catch {
    return undefined;
  }
}
