/**
 * A client's own copy of a baseline room, fed by whole snapshots (snapshot mode) or by a welcome
 * and then one event per change (events mode). The load scripts read its players; the tests also
 * read avatars to see movement arrive. Players are keyed by id, as in Tavern's state.
 */
import type { SeenPlayer } from "../space/target";
import type { AvatarMovedMessage, AvatarView, PlayerJoinedMessage, PlayerView, RoomView } from "./wire";

export class RoomReplica {
  hostId = "";
  private byId = new Map<string, PlayerView>();
  private avatars = new Map<string, AvatarView>();

  replace(view: RoomView): void {
    this.hostId = view.hostId;
    this.byId = new Map(view.players.map((p) => [p.id, p]));
    this.avatars = new Map(Object.entries(view.avatars));
  }

  addPlayer({ player, avatar }: PlayerJoinedMessage): void {
    this.byId.set(player.id, player);
    this.avatars.set(player.id, avatar);
  }

  removePlayer(id: string): void {
    this.byId.delete(id);
    this.avatars.delete(id);
  }

  moveAvatar({ id, x, y, facing, moving }: AvatarMovedMessage): void {
    // An avatar is only ever moved after its playerJoined; an unknown id would be a server bug.
    if (this.byId.has(id)) this.avatars.set(id, { x, y, facing, moving });
  }

  /** Mirrors the server: the new host's role becomes "host", the old host has left already. */
  setHost(hostId: string): void {
    this.hostId = hostId;
    const host = this.byId.get(hostId);
    if (host) host.role = "host";
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  players(): SeenPlayer[] {
    return [...this.byId.values()].map(({ id, name }) => ({ id, name }));
  }

  playerCount(): number {
    return this.byId.size;
  }

  avatar(id: string): AvatarView | undefined {
    return this.avatars.get(id);
  }
}
