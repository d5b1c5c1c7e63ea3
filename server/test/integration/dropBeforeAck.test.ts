/**
 * A connection lost before the client acknowledged its join (or its reconnection) keeps its seat
 * for the grace, like any other drop. Colyseus cannot hold such a seat (allowReconnection refuses
 * "not joined") and the client's reconnection token is useless then, so the way back is a join by
 * code with the same identity. The raw WebSocket here stops where a bad network would: the server
 * has seated the player and sent JOIN_ROOM, and the client's acknowledgement never arrives.
 */
import assert from "node:assert/strict";
import { Protocol } from "@colyseus/sdk";
import {
  ENDPOINT,
  createSpace,
  dropConnection,
  harness,
  joinSpace,
  metricSum,
  newPlayer,
  roomsLeftAfterEach,
  sleep,
  waitFor,
  type Player,
  type SpaceRoomClient,
} from "../support/harness";

interface Reservation {
  roomId: string;
  sessionId: string;
  processId: string;
}

/** Opens the room's WebSocket for a seat reservation and waits for JOIN_ROOM, which it never acknowledges. */
async function seatWithoutAck(player: Player, path: string, body: Record<string, unknown>): Promise<Reservation> {
  const reply = await player.client.http.post<Reservation>(path, { body });
  const reservation = reply.data;
  // The URL the SDK builds for a seat reservation (Client.buildEndpoint).
  const url = new URL(`/${reservation.processId}/${reservation.roomId}`, ENDPOINT.replace(/^http/, "ws"));
  url.searchParams.set("sessionId", reservation.sessionId);
  if (typeof body["reconnectionToken"] === "string") url.searchParams.set("reconnectionToken", body["reconnectionToken"]);
  url.searchParams.set("_authToken", player.session.token);
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    socket.onmessage = (event: MessageEvent<ArrayBuffer>) => {
      if (new Uint8Array(event.data)[0] === Protocol.JOIN_ROOM) resolve();
    };
    socket.onclose = (event) => reject(new Error(`closed ${event.code} before JOIN_ROOM`));
    socket.onerror = () => reject(new Error("socket error before JOIN_ROOM"));
  });
  socket.onclose = null;
  socket.onerror = null;
  unacknowledged.push(socket);
  return reservation;
}
const unacknowledged: WebSocket[] = [];

/** The server's side of that socket, cut as a lost network would cut it. */
async function cut(reservation: Reservation): Promise<void> {
  const { colyseus } = await harness();
  const serverClient = colyseus.getRoomById(reservation.roomId)?.clients.find((c) => c.sessionId === reservation.sessionId);
  if (!serverClient) throw new Error("no server-side client for this session");
  (serverClient as unknown as { ref: { terminate(): void } }).ref.terminate();
}

describe("a drop before the client acknowledged its join", function () {
  this.timeout(30_000);
  const rooms = roomsLeftAfterEach();
  afterEach(() => unacknowledged.splice(0).forEach((s) => s.close()));

  async function observerRoom(config: Record<string, unknown> = {}): Promise<SpaceRoomClient> {
    const host = await newPlayer("Host");
    const room = await createSpace(host, config);
    rooms.push(room);
    return room;
  }

  it("holds the seat, and a join by code with the same identity takes that same seat back", async () => {
    const observer = await observerRoom();
    const code = observer.state.code;
    const player = await newPlayer("Flaky");
    const id = player.session.playerId;
    const reclaimedBefore = await metricSum("tavern_joins_total", 'outcome="reclaimed"');
    const rejoinedBefore = await metricSum("tavern_reconnections_total", 'outcome="rejoined"');

    const reservation = await seatWithoutAck(player, "/matchmake/join/space", { code });
    await waitFor("the observer sees the seat", () => observer.state.players.get(id)?.connected === true);
    const joinedAt = observer.state.players.get(id)?.joinedAt;
    await cut(reservation);
    await waitFor("shown disconnected", () => observer.state.players.get(id)?.connected === false);
    await sleep(300);
    assert.equal(observer.state.players.get(id)?.joinedAt, joinedAt, "the seat is still there, held");

    const back = await joinSpace(player, code);
    rooms.push(back);
    await waitFor("connected again", () => observer.state.players.get(id)?.connected === true);
    assert.equal(observer.state.players.get(id)?.joinedAt, joinedAt, "the same seat, not a new one");
    assert.equal(back.state.players.get(id)?.joinedAt, joinedAt);
    assert.equal(await metricSum("tavern_joins_total", 'outcome="reclaimed"'), reclaimedBefore + 1);
    assert.equal(await metricSum("tavern_reconnections_total", 'outcome="rejoined"'), rejoinedBefore + 1);
  });

  it("frees the seat when the grace runs out, not before", async () => {
    const observer = await observerRoom({ reconnectGraceSeconds: 2 });
    const player = await newPlayer("Gone");
    const id = player.session.playerId;
    const expiredBefore = await metricSum("tavern_reconnections_total", 'outcome="expired"');
    const reservation = await seatWithoutAck(player, "/matchmake/join/space", { code: observer.state.code });
    await waitFor("seated", () => observer.state.players.has(id));
    await cut(reservation);
    const droppedAt = Date.now();
    await waitFor("shown disconnected", () => observer.state.players.get(id)?.connected === false);
    await sleep(1000);
    assert.equal(observer.state.players.has(id), true, "still held one second in");
    await waitFor("seat freed after the grace", () => !observer.state.players.has(id), 5000);
    assert.ok(Date.now() - droppedAt >= 1900, "the seat waited for the 2 s grace");
    assert.equal(await metricSum("tavern_reconnections_total", 'outcome="expired"'), expiredBefore + 1);
  });

  it("keeps a room whose only seat is held that way open for the rejoin", async () => {
    const creator = await newPlayer("Creator");
    const room = await createSpace(creator);
    const { code } = room.state;
    const player = await newPlayer("Lonely");
    const id = player.session.playerId;
    const reservation = await seatWithoutAck(player, "/matchmake/join/space", { code });
    await waitFor("seated", () => room.state.players.has(id));
    const joinedAt = room.state.players.get(id)?.joinedAt;
    await cut(reservation);
    await waitFor("shown disconnected", () => room.state.players.get(id)?.connected === false);
    await room.leave(true); // no connection is left, only the held seat
    await sleep(1500); // longer than Colyseus waits before it disposes an empty room
    const back = await joinSpace(player, code);
    rooms.push(back);
    assert.equal(back.roomId, room.roomId, "the same room, not a new one under the code");
    assert.equal(back.state.players.get(id)?.joinedAt, joinedAt, "the same seat");
  });

  it("a reconnection dropped before its acknowledgement keeps the seat for a rejoin as well", async () => {
    const observer = await observerRoom();
    const code = observer.state.code;
    const player = await newPlayer("Twice");
    const id = player.session.playerId;
    const first = await joinSpace(player, code);
    first.reconnection.enabled = false; // this test makes the reconnection itself
    await waitFor("the observer sees the seat", () => observer.state.players.has(id));
    const joinedAt = observer.state.players.get(id)?.joinedAt;
    const [roomId, token] = first.reconnectionToken.split(":");
    await dropConnection(first);
    await waitFor("shown disconnected", () => observer.state.players.get(id)?.connected === false);
    const reservation = await seatWithoutAck(player, `/matchmake/reconnect/${roomId}`, { reconnectionToken: token });
    await waitFor("reconnected on the server", () => observer.state.players.get(id)?.connected === true);
    await cut(reservation);
    await waitFor("shown disconnected again", () => observer.state.players.get(id)?.connected === false);
    const back = await joinSpace(player, code);
    rooms.push(back);
    await waitFor("connected again", () => observer.state.players.get(id)?.connected === true);
    assert.equal(observer.state.players.get(id)?.joinedAt, joinedAt, "the same seat through both drops");
  });
});
