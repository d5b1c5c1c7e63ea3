/**
 * Everything about the patches a room sends, around Colyseus's broadcast: how many bytes went out
 * (every client's copy, a metric), which patch number a state hash refers to, the hash replies
 * that wait for the patch carrying what they hash, a start at a random phase so rooms created
 * together do not all encode in the same event-loop turn, and no empty frame to a client whose
 * view holds none of a patch's changes.
 */
import type { Client, Room } from "@colyseus/core";
import type { StateHashReply } from "@tavern/shared/stateHash";
import type { Metrics } from "../observability/metrics";

/** A patch frame with no change in it: the protocol byte alone. */
const EMPTY_PATCH_BYTES = 1;

export class PatchMeter {
  /** Patches broadcast so far; the version a state hash refers to. */
  version = 0;
  private sending = false;
  private bytes = 0;
  private waiting: { client: Client; resolve: (reply: StateHashReply) => void }[] = [];
  private broadcastWaiters: Array<() => void> = [];

  constructor(
    private readonly roomType: () => string,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Counts what this client is sent during a broadcast (Colyseus sends patches with raw()), and
   * holds back a patch that carries nothing for it: a player would learn from its mere arrival
   * that something it cannot see just changed.
   */
  meter(client: Client): void {
    const raw = client.raw.bind(client);
    client.raw = (data, options, cb) => {
      if (this.sending) {
        if (data.byteLength === EMPTY_PATCH_BYTES) return;
        this.bytes += data.byteLength;
      }
      raw(data, options, cb);
    };
  }

  /** Runs Colyseus's broadcast, counting its bytes. */
  around(broadcast: () => boolean): boolean {
    this.sending = true;
    let sent = false;
    try {
      return (sent = broadcast());
    } finally {
      this.sending = false;
      if (this.bytes > 0) this.metrics.patchBytes.inc({ room_type: this.roomType() }, this.bytes);
      this.bytes = 0;
      if (sent) this.releaseBroadcastWaiters();
    }
  }

  /**
   * Resolves true once the next patch that carries changes has been handed to every client's
   * socket (a change made before this call is in it), or false if none went out within `ms`.
   */
  nextBroadcast(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.broadcastWaiters = this.broadcastWaiters.filter((w) => w !== done);
        resolve(false);
      }, ms);
      this.broadcastWaiters.push(done);
    });
  }

  private releaseBroadcastWaiters(): void {
    const waiters = this.broadcastWaiters;
    this.broadcastWaiters = [];
    for (const done of waiters) done();
  }

  /** A stateHash request: answered with the hash of what the next patch leaves the client holding. */
  nextHash(client: Client): Promise<StateHashReply> {
    return new Promise((resolve) => this.waiting.push({ client, resolve }));
  }

  /**
   * Called just before a patch is encoded: answers the waiting hash requests (the replies resolve
   * in a microtask, after the patch is queued on every socket, so a client reads its reply only
   * once its decoded state has caught up to the hashed moment). `hashFor` hashes what one client
   * may see; `memo` lets clients who see the same state share one hash.
   */
  beforePatch(hashFor: (client: Client, memo: Map<string, string>) => string): void {
    this.version++;
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    const memo = new Map<string, string>();
    for (const { client, resolve } of waiting) resolve({ version: this.version, hash: hashFor(client, memo) });
  }

  /** Starts the room's patches after a random part of one interval (see the file comment). */
  static dephase(room: Room): void {
    const rate = room.patchRate ?? 0;
    if (rate <= 0) return;
    room.patchRate = null; // until then Colyseus only ticks the clock; a joiner still gets the full state
    room.clock.setTimeout(() => {
      room.patchRate = rate;
    }, Math.random() * rate);
  }
}

/** The memo's value for `key`, computed the first time it is asked for. */
export function memoized(memo: Map<string, string>, key: string, compute: () => string): string {
  let value = memo.get(key);
  if (value === undefined) memo.set(key, (value = compute()));
  return value;
}
