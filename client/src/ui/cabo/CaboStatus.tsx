/** What a Cabo room is doing, in the room's head line, where other rooms show their lifecycle phase. */
import type { Room } from "@colyseus/sdk";
import type { CaboState } from "@tavern/shared/cabo/state";
import { usePatchModel } from "../hooks";

export function CaboStatus({ room }: { room: Room<unknown, CaboState> }) {
  const text = usePatchModel(room, () => {
    const s = room.state;
    const g = s.game;
    if (s.phase === "lobby") return "Cabo · waiting to deal";
    if (s.phase === "finished") return g.phase === "matchEnd" ? "Cabo · match over" : "Cabo · game ended";
    if (g.phase === "setup") return `Cabo · round ${g.round} · setup peek`;
    if (g.phase === "roundEnd") return `Cabo · round ${g.round} over`;
    return `Cabo · round ${g.round}`;
  });
  return <>{text}</>;
}
