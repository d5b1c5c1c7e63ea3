/**
 * A room's code over its life: claimed at creation (fresh; its own, for a stored session
 * reopening; or a client's `restoreCode`, if that client may), replaced when a stored session
 * turns out to own it, released at disposal. Unique across processes through the code registry.
 */
import { matchMaker } from "@colyseus/core";
import { TavernError } from "@tavern/shared/errors";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import type { RoomServices } from "../services";
import type { Caller } from "./joinGate";
import { joinError } from "./joinErrors";

/** How long a reopen waits for a code still held by a room that is closing, and how often it asks. */
const CLAIM_WAIT_MS = 1000;
const CLAIM_RETRY_MS = 25;

export class RoomCode {
  constructor(
    private readonly svc: RoomServices,
    private readonly roomType: string,
    private readonly roomId: string,
  ) {}

  /** The code to open under. `own` is a code this room owns already (a stored session's). */
  async claim(requested: string | undefined, caller: Caller | undefined, own: string | undefined): Promise<string> {
    if (own !== undefined) return this.claimOwn(own);
    if (requested === undefined) return this.svc.codes.claim(this.roomId);
    const code = normalizeRoomCode(requested);
    if (!isRoomCode(code)) throw joinError(new TavernError("VALIDATION_ERROR", `"${requested.slice(0, 32)}" is not a room code.`));
    if (caller) await this.checkRestore(code, caller);
    return this.claimOwn(code);
  }

  /** A fresh code instead of `taken` (a stored session owns it). */
  async replace(taken: string): Promise<string> {
    const code = await this.svc.codes.claim(this.roomId);
    await this.svc.codes.release(taken);
    return code;
  }

  release(code: string): Promise<void> {
    return this.svc.codes.release(code);
  }

  /**
   * Who may bring a code back: a player who held a seat in a room of this type under it (the
   * audit log remembers), and never under a stored table session's code, which reopens by itself
   * for whoever joins it and stays its GM's.
   */
  private async checkRestore(code: string, caller: Caller): Promise<void> {
    if (await this.svc.sessions.idForCode(code)) {
      const message = `The code ${code} belongs to a stored table session: join it by its code instead.`;
      throw joinError(new TavernError("PERMISSION_DENIED", message, { field: "code" }));
    }
    if (!(await this.svc.audit.heldSeat(code, this.roomType, caller.playerId))) {
      throw joinError(new TavernError("PERMISSION_DENIED", `Only a player who was in room ${code} can bring it back.`, { field: "code" }));
    }
  }

  private async claimOwn(code: string): Promise<string> {
    if (!(await this.claimReleasedSoon(code))) {
      throw joinError(
        new TavernError("VALIDATION_ERROR", `The code ${code} is already in use: join that room instead.`, { field: "code" }),
      );
    }
    return code;
  }

  /**
   * Claims a code another room may still hold for a moment: a room that just emptied leaves the
   * matchmaker before its onDispose releases the code, so a reopen right after everyone left would
   * be refused. While the holder has no listing, ask again for up to CLAIM_WAIT_MS; a holder that
   * is listed is a live room, and a claim is never taken from anyone.
   */
  private async claimReleasedSoon(code: string): Promise<boolean> {
    const giveUpAt = Date.now() + CLAIM_WAIT_MS;
    for (;;) {
      if (await this.svc.codes.claimExact(code, this.roomId)) return true;
      const holder = await this.svc.codes.resolve(code);
      const [listing] = holder === undefined ? [] : await matchMaker.query({ roomId: holder });
      if (listing || Date.now() >= giveUpAt) return false;
      // No holder any more (released between the two calls) or one that is closing: ask again.
      await new Promise((resolve) => setTimeout(resolve, CLAIM_RETRY_MS));
    }
  }
}
