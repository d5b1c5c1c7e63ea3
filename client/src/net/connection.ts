/**
 * The one owner of the SDK client, and all the screens see of the network: the guest session, the
 * public room list, the room link (create, join, knock, leave, come back), its integrity checks,
 * typed requests and the events the screens subscribe to. Each job is in its own module here.
 */
import type { AnyRoomContract, RequestFn } from "@tavern/shared/contract";
import type { GuestSession, RoomType } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import type { Room } from "@colyseus/sdk";
import { Emitter, type ConnectionEvents } from "./events";
import { lifecycleView, type ConnectionStatus, type CreateOptions, type JoinedRoom } from "./joined";
import { roomRequests } from "./requests";
import { RoomLink } from "./roomLink";
import { RoomList } from "./roomList";
import { TavernSdk } from "./sdk";
import { Session, type GuestScope } from "./session";

export type { JoinedRoom } from "./joined";
export type { GuestScope } from "./session";

export class TavernConnection {
  private readonly events = new Emitter<ConnectionEvents>();
  private readonly sessions: Session;
  private readonly rooms: RoomList;
  private readonly link: RoomLink;
  /** Subscribes to a connection event; returns the unsubscribe. */
  readonly on = this.events.on.bind(this.events);
  /** A request of the shared contract: resolves with its typed reply or throws an ErrorBody. */
  readonly request: RequestFn<AnyRoomContract>;

  constructor(endpoint: string) {
    const sdk = new TavernSdk(endpoint);
    this.sessions = new Session(endpoint, sdk, (s) => this.events.emit("session", s));
    this.rooms = new RoomList(sdk, (rooms) => this.events.emit("rooms", rooms));
    this.link = new RoomLink(endpoint, sdk, () => this.selfId, this.events.emit);
    this.request = roomRequests(() => this.link.joined);
    this.events.on("renewedSession", (s) => this.sessions.adopt(s));
  }

  /** Exchanges the stored sign-in for a fresh one (main.ts does it once per page load). */
  renewSession(): Promise<void> {
    return this.sessions.renew();
  }

  get session(): GuestSession | undefined {
    return this.sessions.current;
  }

  get selfId(): string {
    return this.sessions.playerId;
  }

  /** This browser's device id, once a sign-in has given it one. */
  get deviceId(): string | undefined {
    return this.sessions.deviceId;
  }

  /** Whose sign-in this tab uses: the browser's (shared by its tabs) or its own. */
  get guestScope(): GuestScope {
    return this.sessions.scope;
  }

  /** Signs in as a new guest, for the whole browser or for this tab only (by default, as now), as a character. */
  signIn(name: string, scope?: GuestScope, character?: number): Promise<GuestSession> {
    return this.sessions.signIn(name, scope, character);
  }

  /** Signs in to a claimed account: the same player as where it was claimed, sessions and GM roles included. */
  logIn(username: string, password: string): Promise<GuestSession> {
    return this.sessions.logIn(username, password);
  }

  /** Keeps this guest's identity under a user name and password, to sign in from other browsers. */
  claim(username: string, password: string): Promise<GuestSession> {
    return this.sessions.claim(username, password);
  }

  /** Ends every sign-in of this account, on every browser. */
  signOutEverywhere(): Promise<void> {
    return this.sessions.signOutEverywhere();
  }

  /** Forgets this tab's guest (the next sign-in is a new one); the device id stays. */
  signOut(): void {
    this.sessions.signOut();
  }

  /** This tab gets a guest of its own at its next sign-in; other tabs keep the browser's. */
  newGuestInThisTab(): void {
    this.sessions.newGuestInThisTab();
  }

  /** Starts the live public room list ("rooms" events). */
  watchRooms(): Promise<void> {
    return this.rooms.watch();
  }

  get joined(): JoinedRoom | undefined {
    return this.link.joined;
  }

  /** The current room seen through the lifecycle fields every room type shares. */
  get room(): Room<unknown, LobbyState> | undefined {
    return this.link.joined && lifecycleView(this.link.joined);
  }

  get status(): ConnectionStatus {
    return this.link.status;
  }

  create(type: RoomType, options: CreateOptions): Promise<JoinedRoom> {
    return this.link.create(type, options);
  }

  joinByCode(code: string, spectator = false, type?: RoomType): Promise<JoinedRoom> {
    return this.link.joinByCode(code, spectator, type);
  }

  get isKnocking(): boolean {
    return this.link.door.isKnocking;
  }

  cancelKnock(): void {
    this.link.door.cancel();
  }

  leave(): Promise<void> {
    return this.link.leave();
  }

  /** True when there is a room to go back to (the Rejoin button). */
  get canRecover(): boolean {
    return this.link.canRecover;
  }

  recover(): Promise<void> {
    return this.link.recover();
  }

  checkIntegrity(): Promise<boolean> {
    return this.link.integrity.check();
  }

  get resyncs(): number {
    return this.link.integrity.resyncs;
  }

  get integrityChecks(): number {
    return this.link.integrity.checks;
  }
}
