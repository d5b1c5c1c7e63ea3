/**
 * The header's connection badge. "disconnected" in red is for a room this page lost; a page in
 * the lobby, with no room to be connected to, is simply not in a room.
 */
import type { ConnectionStatus } from "../net/joined";

export interface Badge {
  label: string;
  /** The style: connected, reconnecting, disconnected (a lost room), idle (no room). */
  tone: ConnectionStatus | "idle";
}

/** `hasRoom`: the page is in a room, or has one to go back to (Rejoin). */
export function badgeOf(status: ConnectionStatus, hasRoom: boolean): Badge {
  if (status === "disconnected" && !hasRoom) return { label: "not in a room", tone: "idle" };
  return { label: status, tone: status };
}
