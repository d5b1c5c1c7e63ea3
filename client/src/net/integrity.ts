/**
 * Integrity checks of decoded state, one per room type. A space room hashes its whole state and
 * asks the server for the hash of the same patch; a table room carries its own hashes in state
 * (`gm.hash` for the GM, `publicHash` for players and spectators, written in the same patch as
 * the document), so the client can check locally at whatever version it holds.
 */
import { typedRequests, type LifecycleContract } from "@tavern/shared/contract";
import type { Room } from "@colyseus/sdk";
import type { LobbyState } from "@tavern/shared/state";
import { hashState } from "@tavern/shared/stateHash";
import { hashTable } from "@tavern/shared/table/hash";
import type { TableState } from "@tavern/shared/table/state";
import { tableDocOf } from "../table/doc";
import { versionOf } from "../table/entities";

export type IntegrityResult = "ok" | "mismatch" | "unknown";

export async function checkSpaceIntegrity(room: Room<unknown, LobbyState>): Promise<IntegrityResult> {
  try {
    const reply = await typedRequests<LifecycleContract>(room)("stateHash");
    return hashState(room.state) === reply.hash ? "ok" : "mismatch";
  } catch {
    return "unknown"; // a failed check is retried at the next interval
  }
}

export interface TableIntegrity {
  /** The GM's whole version, or a player's public one. */
  version: number;
  /** The hash the server says this client should hold: `gm.hash` for the GM, `publicHash` for players. */
  expected: string;
  actual: string;
}

/**
 * Undefined until the first full state (with its hashes) has arrived. A former GM still holds the
 * GM-only part it was sent before handing the role over: rebuilt with the rest, it no longer
 * matches `publicHash`, and the resync that follows drops it.
 */
export function tableIntegrity(state: TableState | undefined, selfId: string): TableIntegrity | undefined {
  const mine = versionOf(state, selfId);
  if (!state || !mine) return undefined;
  return { version: mine.version, expected: mine.hash, actual: hashTable(tableDocOf(state)) };
}

export function checkTableIntegrity(room: Room<unknown, TableState>, selfId: string): IntegrityResult {
  const check = tableIntegrity(room.state, selfId);
  if (!check) return "unknown";
  return check.actual === check.expected ? "ok" : "mismatch";
}
