/** The room this client is in, tagged by type, and the options it was created with. */
import type { Room } from "@colyseus/sdk";
import type { RoomConfigPatch } from "@tavern/shared/protocol";
import type { LobbyState, SpaceState } from "@tavern/shared/state";
import type { TableState } from "@tavern/shared/table/state";
import type { CaboState } from "@tavern/shared/cabo/state";
import type { CaboConfig } from "@tavern/shared/cabo/rules";

export type ConnectionStatus = "connected" | "reconnecting" | "disconnected";

/** The room we are in, tagged with its type so screens get the right state class. */
export type JoinedRoom =
  | { type: "space"; room: Room<unknown, SpaceState> }
  | { type: "table"; room: Room<unknown, TableState> }
  | { type: "cabo"; room: Room<unknown, CaboState> };

export interface CreateOptions {
  config: RoomConfigPatch;
  /** Table rooms only: the session's title and rules plugin ("generic", "dnd5e-lite"). */
  title?: string;
  plugin?: string;
  /** Cabo rooms only: the game's timers and memory aid. */
  cabo?: Partial<CaboConfig>;
  /** Cabo rooms in test mode only (the server refuses it otherwise): the deck's shuffle seed. */
  seed?: string;
}

/**
 * Every room state extends LobbyState, but Room<State> is invariant in State: this is the one
 * place that widens it, for code that only reads the lifecycle fields and registers listeners.
 */
export function lifecycleView(joined: JoinedRoom): Room<unknown, LobbyState> {
  return joined.room as unknown as Room<unknown, LobbyState>;
}
