/**
 * What every load script does as a client, whatever it measures: sign in a guest over HTTP, leave a
 * room without hanging, bound a promise by a deadline, run work with limited concurrency, pause.
 */
import { signInGuest } from "@tavern/shared/guestSignIn";
import type { GuestSession } from "@tavern/shared/protocol";

/** What whenState needs of an SDK room: its state (once decoded) and state-change and leave listeners. */
export interface WatchedRoom<S> {
  readonly state: S | undefined;
  onStateChange: ((listener: () => void) => unknown) & { remove(listener: () => void): void };
  onLeave?: ((listener: (code: number) => void) => unknown) & { remove(listener: (code: number) => void): void };
}

/**
 * pick(state) once it is defined: on the state decoded already or on a later one. Rejects if the
 * room is left first (a connection lost before its first state, and not brought back), so a
 * caller can try again instead of waiting for ever.
 */
export function whenState<S, R>(room: WatchedRoom<S>, pick: (state: S) => R | undefined): Promise<R> {
  return new Promise((resolve, reject) => {
    const done = () => {
      room.onStateChange.remove(check);
      room.onLeave?.remove(left);
    };
    const check = () => {
      const picked = room.state === undefined ? undefined : pick(room.state);
      if (picked === undefined) return;
      done();
      resolve(picked);
    };
    const left = (code: number) => {
      done();
      reject(new Error(`the room was left (close code ${code}) before the awaited state arrived`));
    };
    room.onStateChange(check);
    room.onLeave?.(left);
    check();
  });
}

/** The room's code once its first state has arrived (it may have been decoded already). */
export function roomCodeOf(room: WatchedRoom<{ readonly code: string }>): Promise<string> {
  return whenState(room, (state) => state.code || undefined);
}

/** How long a consented leave may take before it counts as not confirmed. */
export const LEAVE_TIMEOUT_MS = 5000;

/** What leaveQuietly needs of an SDK room (any room type: the state does not matter here). */
export interface LeavableRoom {
  readonly connection: { readonly isOpen: boolean };
  leave(consented?: boolean): Promise<number>;
}

export function signIn(endpoint: string, name: string, deadline: number): Promise<GuestSession> {
  return signInGuest(endpoint, name, { timeoutMs: Math.max(1, deadline - Date.now()) });
}

/** Guest sign-ins (or other preparations) in flight at once: enough to be quick, few enough not to be the load. */
const SIGN_IN_CONCURRENCY = 16;

/** Signs in one guest per name; throws, naming the first failure, unless all succeeded. */
export function signInGuests(
  endpoint: string,
  names: readonly string[],
  deadline: number,
  onSignedIn: () => void,
): Promise<GuestSession[]> {
  return forEveryName(names, "guest sign-ins", async (name) => {
    const session = await signIn(endpoint, name, deadline);
    onSignedIn();
    return session;
  });
}

/**
 * Runs `fn` for every name, a few at a time; throws, naming the first failure, unless all
 * succeeded (`what` names the work in that message, e.g. "guest sign-ins").
 */
export async function forEveryName<T>(names: readonly string[], what: string, fn: (name: string) => Promise<T>): Promise<T[]> {
  const failures: string[] = [];
  const results = await mapLimit(names, SIGN_IN_CONCURRENCY, async (name) => {
    try {
      return await fn(name);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  });
  if (failures.length > 0) throw new Error(`${failures.length} of ${names.length} ${what} failed, first: ${failures[0]}`);
  return results as T[];
}

/**
 * Leaves without hanging on a room whose connection is already gone (leave() never resolves then).
 * False when the server did not confirm the leave in time.
 */
export async function leaveQuietly(room: LeavableRoom): Promise<boolean> {
  if (!room.connection.isOpen) return true;
  const left = await beforeDeadline(
    room.leave(true).catch(() => undefined),
    Date.now() + LEAVE_TIMEOUT_MS,
  );
  return left.done;
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export type Raced<T> = { done: true; value: T } | { done: false };

/** The promise's value if it settles before the deadline (epoch ms); its rejection passes through. */
export async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise.then((value): Raced<T> => ({ done: true, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
