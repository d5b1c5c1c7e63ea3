/**
 * What the admin API shows of a room (through matchMaker.remoteRoomCall, from any process): the
 * whole state, hidden parts included.
 */
import type { Phase } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import { hashState } from "@tavern/shared/stateHash";

export interface AdminRoomSnapshot {
  roomId: string;
  roomType: string;
  code: string;
  phase: Phase;
  /** Patches sent so far (space), or the session version (table). */
  version: number;
  hash: string;
  state: Record<string, unknown>;
  /** Table rooms: the session document the hash covers. */
  document?: unknown;
}

export function adminSnapshotOf(roomId: string, roomType: string, state: LobbyState, version: number): AdminRoomSnapshot {
  return {
    roomId,
    roomType,
    code: state.code,
    phase: state.phase,
    version,
    hash: hashState(state),
    state: state.toJSON() as Record<string, unknown>,
  };
}
