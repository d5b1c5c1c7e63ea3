/**
 * A room's chat: players' lines and system lines (announcements) in one bounded history, trimmed
 * just before a patch (./history.ts), handed to the room type as they are added so a durable room
 * can store them.
 */
import { ChatLineState, CHAT_HISTORY, type LobbyState } from "@tavern/shared/state";
import { trimOldest } from "./history";

export interface ChatLine {
  playerId: string;
  name: string;
  text: string;
  at: number;
}

export class RoomChat {
  constructor(
    private readonly state: LobbyState,
    private readonly added: (line: ChatLineState) => void,
  ) {}

  /** A player's line (`playerId` and `name` empty: a system line). */
  append(playerId: string, name: string, text: string): void {
    const line = new ChatLineState().assign({ playerId, name, text, at: Date.now() });
    this.state.chat.push(line);
    this.added(line);
  }

  /** Puts back chat lines of an earlier life of the room (oldest first), as they were. */
  restore(lines: readonly ChatLine[]): void {
    for (const line of lines.slice(-CHAT_HISTORY)) this.state.chat.push(new ChatLineState().assign(line));
  }
}

/** Just before a patch, and only there (see history.ts); runs whether or not the room got as far as its parts. */
export function trimChat(state: LobbyState): void {
  trimOldest(state.chat, CHAT_HISTORY);
}
