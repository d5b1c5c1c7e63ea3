/**
 * Schema state of the `cabo` room: the lifecycle plus the game as every seat may see it, and one
 * private part per seat (`secrets`, each entry in its own player's view alone) with the card values
 * only that player is entitled to right now: their drawn card, a peeked or spied card during its
 * window, their positions 0 and 1 during the setup peek.
 *
 * A card has no identity on the wire. A hidden position is `{ present, faceUp: false, value: -1 }`,
 * the same for every hidden card; every value is an int8, so a value's size tells nothing either.
 * The server projects the pure rules' views (server/src/domain/cabo/views.ts) into these classes.
 */
import { schema, t, type SchemaType } from "@colyseus/schema";
import { LobbyState } from "../state";

/** `value` when the value is not known to the viewer. */
export const UNKNOWN_CARD = -1;

export const CaboSlotState = schema(
  {
    /** False for a hole a multi-swap left (positions never move). */
    present: t.boolean().default(true),
    faceUp: t.boolean().default(false),
    /** The card's value where everyone may know it (face up, or at the round's reveal), else UNKNOWN_CARD. */
    value: t.int8().default(UNKNOWN_CARD),
  },
  "CaboSlotState",
);
export type CaboSlotState = SchemaType<typeof CaboSlotState>;

export const CaboPlayerState = schema(
  {
    seat: t.string().default(""),
    left: t.boolean().default(false),
    inRound: t.boolean().default(false),
    total: t.int16().default(0),
    /** Cards in the hand (holes left out). */
    cards: t.uint8().default(0),
    hand: t.array(CaboSlotState),
  },
  "CaboPlayerState",
);
export type CaboPlayerState = SchemaType<typeof CaboPlayerState>;

export const CaboScoreState = schema(
  {
    seat: t.string().default(""),
    sum: t.int16().default(0),
    score: t.int16().default(0),
    total: t.int16().default(0),
  },
  "CaboScoreState",
);
export type CaboScoreState = SchemaType<typeof CaboScoreState>;

export const CaboRoundResultState = schema(
  {
    round: t.uint16().default(0),
    /** "cabo" | "drawPileEmpty" | "abandoned" */
    reason: t.string().default(""),
    caller: t.string().default(""),
    /** 1 the caller was strictly lowest, 0 not, -1 no caller. */
    callerWon: t.int8().default(-1),
    scores: t.array(CaboScoreState),
  },
  "CaboRoundResultState",
);
export type CaboRoundResultState = SchemaType<typeof CaboRoundResultState>;

export const CaboGameState = schema(
  {
    /** "idle" before the first match (the room's lobby phase), else the rules' phase: setup | turn | roundEnd | matchEnd. */
    phase: t.string().default("idle"),
    match: t.uint16().default(0),
    round: t.uint16().default(0),
    /** Seat order, fixed for the match. */
    players: t.array(CaboPlayerState),
    drawPile: t.uint8().default(0),
    /** Face up, the top last. */
    discard: t.array("int8"),
    setupUntil: t.number().default(0),
    setupDone: t.array("string"),
    /** Whose turn ("" outside turns), its step (action | drawn | window) and when it times out. */
    turnSeat: t.string().default(""),
    turnStep: t.string().default(""),
    turnDeadline: t.number().default(0),
    holdsDrawn: t.boolean().default(false),
    caboAllowed: t.boolean().default(false),
    /** A peek or spy in progress: who looks at which card until when (the value is the looker's alone). */
    windowKind: t.string().default(""),
    windowSeat: t.string().default(""),
    windowTarget: t.string().default(""),
    windowPosition: t.int8().default(-1),
    windowUntil: t.number().default(0),
    caller: t.string().default(""),
    lastTurns: t.array("string"),
    history: t.array(CaboRoundResultState),
    winners: t.array("string"),
    /** When the next round starts after a round's reveal (0: not waiting). */
    nextRoundAt: t.number().default(0),
    /** What just happened, in words (public: it names no hidden value). */
    lastAction: t.string().default(""),
    /** Room settings of the game (seconds). */
    peekSeconds: t.uint8().default(10),
    turnSeconds: t.uint16().default(60),
    revealSeconds: t.uint8().default(5),
    memoryAid: t.boolean().default(false),
  },
  "CaboGameState",
);
export type CaboGameState = SchemaType<typeof CaboGameState>;

/** What one player alone may know beyond the public game. */
export const CaboSecretState = schema(
  {
    /** The card the player drew this turn, else UNKNOWN_CARD. */
    drawn: t.int8().default(UNKNOWN_CARD),
    /** Hidden cards the player may see right now, keyed "<seat>:<position>". */
    known: t.map("int8"),
  },
  "CaboSecretState",
);
export type CaboSecretState = SchemaType<typeof CaboSecretState>;

export const CaboState = LobbyState.extend(
  {
    game: t.ref(CaboGameState).default(() => new CaboGameState()),
    /** Keyed by player id; each entry reaches its own player's view only. */
    secrets: t.map(CaboSecretState).view(),
  },
  "CaboState",
);
export type CaboState = SchemaType<typeof CaboState>;

export function knownKey(seat: string, position: number): string {
  return `${seat}:${position}`;
}
