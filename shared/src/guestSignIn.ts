/**
 * `POST /api/auth/guest` as a function, for every program that signs a guest in outside the
 * browser client: the test harnesses, the load scripts and the benchmarks.
 */
import type { GuestSession } from "./protocol";

export interface SignInOptions {
  deviceId?: string;
  /** The character picked (an index in CHARACTERS); without one the room gives one. */
  character?: number;
  /** Gives up after this long (the request is aborted). */
  timeoutMs?: number;
}

export async function signInGuest(baseUrl: string, name: string, options: SignInOptions = {}): Promise<GuestSession> {
  const res = await fetch(`${baseUrl}/api/auth/guest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, deviceId: options.deviceId, character: options.character }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`sign-in failed: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as GuestSession;
}
