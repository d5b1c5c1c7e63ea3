/**
 * What the player may do at this moment, with the move each button would send, from the table
 * model. A button whose move makes no sense in this step is not offered; one that needs cards
 * picked first is offered disabled, with the reason in `hint`. The server decides in the end: this
 * only keeps the page from offering what the rules would certainly refuse.
 */
import type { CaboMove } from "@tavern/shared/cabo/moves";
import type { CaboTableModel } from "./model";

export type CaboActionId =
  "setupDone" | "draw" | "takeDiscard" | "callCabo" | "swap" | "discard" | "peek" | "spy" | "powerSwap" | "closeWindow";

export interface CaboAction {
  id: CaboActionId;
  label: string;
  /** The move to send, undefined while the picks do not make one. */
  move: CaboMove | undefined;
}

export interface CaboActions {
  /** What to do now, in a sentence. */
  hint: string;
  actions: CaboAction[];
}

export function caboActions(m: CaboTableModel): CaboActions {
  const { own, target } = m.picks;
  const onlyOwn = own.length === 1 && !target ? own[0] : undefined;
  if (m.stage === "idle") return { hint: idleHint(m), actions: [] };
  if (!m.playing) return { hint: "You are watching this game.", actions: [] };
  switch (m.stage) {
    case "setup": {
      const done = m.seats.find((s) => s.self)?.setupDone ?? true;
      return done
        ? { hint: "Waiting for the others to finish looking at their cards.", actions: [] }
        : {
            hint: "Remember your two cards on the left: they are hidden again when the peek ends.",
            actions: [{ id: "setupDone", label: "Done looking", move: { type: "setupDone" } }],
          };
    }
    case "turn":
      return m.myTurn ? turnActions(m, own, onlyOwn, target) : { hint: waitingHint(m), actions: [] };
    case "roundEnd":
      return { hint: "The round is over: every card is shown. The next round is dealt in a moment.", actions: [] };
    case "matchEnd":
      return {
        hint: m.host ? "The match is over. Play again to deal a new match." : "The match is over. The host can deal a new one.",
        actions: [],
      };
  }
}

function turnActions(m: CaboTableModel, own: readonly number[], onlyOwn: number | undefined, target: CaboTableModel["picks"]["target"]) {
  if (m.turnStep === "window") {
    const what = m.window?.kind === "spy" ? "the card you spy on" : "your card";
    return {
      hint: `Look at ${what}: it is hidden again when you are done or the time is up.`,
      actions: [{ id: "closeWindow" as const, label: "Done looking", move: { type: "closeWindow" as const } }],
    };
  }
  if (m.turnStep === "action") {
    const actions: CaboAction[] = [
      { id: "draw", label: "Draw a card", move: { type: "draw" } },
      {
        id: "takeDiscard",
        label: m.discardTop === undefined ? "Take the discard" : `Take the ${m.discardTop} from the discard`,
        move: onlyOwn !== undefined && m.discardTop !== undefined ? { type: "takeDiscard", position: onlyOwn } : undefined,
      },
    ];
    if (m.caboAllowed) actions.push({ id: "callCabo", label: "Call Cabo", move: { type: "callCabo" } });
    return { hint: "Your turn: draw a card, or pick one of your cards and take the discard in its place.", actions };
  }
  // A drawn card in hand.
  const actions: CaboAction[] = [
    {
      id: "swap",
      label: own.length > 1 ? `Swap into ${own.length} cards` : "Swap into picked card",
      move: own.length > 0 && !target ? { type: "swap", positions: [...own] } : undefined,
    },
    { id: "discard", label: "Discard it", move: { type: "discard" } },
  ];
  const power = m.drawnPower;
  if (power === "peek") {
    actions.push({
      id: "peek",
      label: "Discard and peek",
      move: onlyOwn !== undefined ? { type: "discard", power: { kind: "peek", position: onlyOwn } } : undefined,
    });
  } else if (power === "spy") {
    const spy = own.length === 0 && target ? { kind: "spy" as const, seat: target.seat, position: target.position } : undefined;
    actions.push({ id: "spy", label: "Discard and spy", move: spy && { type: "discard", power: spy } });
  } else if (power === "swap") {
    const swap =
      own.length === 1 && target
        ? { kind: "swap" as const, position: own[0]!, seat: target.seat, targetPosition: target.position }
        : undefined;
    actions.push({ id: "powerSwap", label: "Discard and swap", move: swap && { type: "discard", power: swap } });
  }
  return { hint: drawnHint(m.drawn, power), actions };
}

function drawnHint(drawn: number | undefined, power: CaboTableModel["drawnPower"]): string {
  const base = `You drew ${drawn === undefined ? "a card" : `a ${drawn}`}: pick your cards to swap it in, or discard it`;
  if (power === "peek") return `${base}. Its power: pick one of your cards and peek at it.`;
  if (power === "spy") return `${base}. Its power: pick another player's card and spy on it.`;
  if (power === "swap") return `${base}. Its power: pick one of your cards and one of another player's, and swap them unseen.`;
  return `${base}.`;
}

function idleHint(m: CaboTableModel): string {
  if (m.roomPhase !== "lobby") return m.host ? "The game was ended. Play again to go back to the lobby." : "The game was ended.";
  return m.host ? "You deal: press Start once the other players are ready." : "Tick ready; the host deals when everyone is.";
}

function waitingHint(m: CaboTableModel): string {
  if (m.window) return `${m.turnName} is looking at a card.`;
  if (m.otherHolds) return `${m.turnName} drew a card and is deciding.`;
  return `${m.turnName}'s turn.`;
}
