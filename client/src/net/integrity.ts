/**
 * Integrity checks of decoded state, one per room type. A space room hashes its whole state and
 * asks the server for the hash of the same patch; a table room carries its own hashes in state
 * (`hash` for the GM, `publicHash` for players, written in the same patch as the document), so
 * the client can check locally at whatever version it holds.
 */
import type { Room } from "@colyseus/sdk";
import type { SpaceState } from "../../../shared/src/state";
import { hashState, type StateHashReply } from "../../../shared/src/stateHash";
import { hashTable } from "../../../shared/src/table/hash";
import type { TableState } from "../../../shared/src/table/state";
import { tableDocOf } from "../table/doc";

export type IntegrityResult = "ok" | "mismatch" | "unknown";

export async function checkSpaceIntegrity(room: Room<unknown, SpaceState>): Promise<IntegrityResult> {
  try {
    const reply = (await room.request("stateHash")) as StateHashReply;
    return hashState(room.state) === reply.hash ? "ok" : "mismatch";
  } catch {
    return "unknown"; // a failed check is retried at the next interval
  }
}

export interface TableIntegrity {
  version: number;
  /** The hash the server says this client should hold: `hash` for the GM, `publicHash` for players. */
  expected: string;
  actual: string;
}

/** Undefined until the first full state (with its hashes) has arrived. */
export function tableIntegrity(state: TableState | undefined, selfId: string): TableIntegrity | undefined {
  if (!state?.hash) return undefined;
  const expected = state.hostId === selfId ? state.hash : state.publicHash;
  return { version: state.version, expected, actual: hashTable(tableDocOf(state)) };
}

export function checkTableIntegrity(room: Room<unknown, TableState>, selfId: string): IntegrityResult {
  const check = tableIntegrity(room.state, selfId);
  if (!check) return "unknown";
  return check.actual === check.expected ? "ok" : "mismatch";
}
