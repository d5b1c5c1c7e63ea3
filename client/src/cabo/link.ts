/** What a Cabo page shares between its table scene and its panels: the picks, the moves, the memory aid. */
import type { Room } from "@colyseus/sdk";
import type { CaboState } from "@tavern/shared/cabo/state";
import type { Notify } from "../ui/notice";
import { CaboApi } from "./api";
import { CaboMemory } from "./memory";
import { CaboSelection } from "./selection";

export interface CaboLink {
  selection: CaboSelection;
  api: CaboApi;
  memory: CaboMemory;
}

export function caboLink(room: Room<unknown, CaboState>, selfId: string, notify: Notify): CaboLink {
  const api = new CaboApi(room, notify);
  return { selection: new CaboSelection(), api, memory: new CaboMemory(room, selfId, api) };
}
