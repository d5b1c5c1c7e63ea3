/** The live list of public rooms, from the server's lobby room. */
import type { Client, Room } from "@colyseus/sdk";

export interface ListedRoom {
  roomId: string;
  name: string;
  clients: number;
  maxClients: number;
  metadata?: { code?: string; phase?: string; players?: number; maxPlayers?: number; hostName?: string };
}

export class RoomList {
  private lobby: Room | undefined;
  private listed = new Map<string, ListedRoom>();

  constructor(
    private readonly sdk: Client,
    private readonly publish: (rooms: ListedRoom[]) => void,
  ) {}

  /** Joins the lobby room once; the list is published at every change. */
  async watch(): Promise<void> {
    if (this.lobby) return;
    const lobby = await this.sdk.joinOrCreate("lobby");
    this.lobby = lobby;
    const publish = () => this.publish([...this.listed.values()].filter((r) => r.name !== "lobby"));
    lobby.onMessage("rooms", (rooms: ListedRoom[]) => {
      this.listed = new Map(rooms.map((r) => [r.roomId, r]));
      publish();
    });
    lobby.onMessage("+", ([roomId, room]: [string, ListedRoom]) => {
      this.listed.set(roomId, room);
      publish();
    });
    lobby.onMessage("-", (roomId: string) => {
      this.listed.delete(roomId);
      publish();
    });
    lobby.onLeave(() => (this.lobby = undefined));
  }
}
