import assert from "node:assert/strict";
import { roomViewFromState } from "../adminClient";
import {
  compareListings,
  compareViews,
  groupDiscrepancies,
  leftBehind,
  SERVER_VIEWER,
  unbalancedSeats,
  type Discrepancy,
  type ExpectedRoom,
  type RoomView,
} from "../switchCheck";

/** Two rooms: observer oA with hopper h1 in AAAAAA; observer oB with h2 and h3 in BBBBBB. */
const truth: ExpectedRoom[] = [
  { code: "AAAAAA", roomId: "ra", playerIds: ["oA", "h1"] },
  { code: "BBBBBB", roomId: "rb", playerIds: ["oB", "h2", "h3"] },
];

function view(viewer: string, code: string, ids: readonly string[], fields: Partial<RoomView> = {}): RoomView {
  return { viewer, code, players: ids.map((id) => ({ key: id, id, connected: true })), avatarIds: [...ids], closeCode: null, ...fields };
}

/** Every member's view of its own room, exactly as the truth says. */
function exactViews(): RoomView[] {
  return truth.flatMap((room) => room.playerIds.map((viewer) => view(viewer, room.code, room.playerIds)));
}

const members = (room: ExpectedRoom) => room.playerIds;

/** The views with the one of `viewer` replaced. */
function withView(replacement: RoomView): RoomView[] {
  return exactViews().map((v) => (v.viewer === replacement.viewer ? replacement : v));
}

function kinds(found: readonly Discrepancy[]): string[] {
  return found.map((d) => `${d.kind} ${d.code} ${d.viewer} ${d.playerId}`).sort();
}

describe("switch check: views against the truth", () => {
  it("finds nothing when every member sees exactly its room", () => {
    assert.deepEqual(compareViews(truth, exactViews(), members), []);
  });

  it("finds a ghost: a player who left shown in the room, with how it was shown", () => {
    const found = compareViews(truth, withView(view("oA", "AAAAAA", ["oA", "h1", "h2"])), members);
    assert.deepEqual(kinds(found), ["ghost AAAAAA oA h2", "ghost-avatar AAAAAA oA h2"]);
    assert.equal(found.find((d) => d.kind === "ghost")?.detail, "shown connected");
  });

  it("tells a ghost held for reconnection (shown disconnected) from a live one", () => {
    const v = view("oA", "AAAAAA", ["oA", "h1"]);
    const held: RoomView = { ...v, players: [...(v.players ?? []), { key: "h3", connected: false }] };
    const [ghost] = compareViews(truth, withView(held), members);
    assert.deepEqual(ghost, { kind: "ghost", code: "AAAAAA", viewer: "oA", playerId: "h3", detail: "shown disconnected" });
  });

  it("finds a ghost avatar whose seat is gone", () => {
    const found = compareViews(truth, withView(view("h1", "AAAAAA", ["oA", "h1"], { avatarIds: ["oA", "h1", "h9"] })), members);
    assert.deepEqual(kinds(found), ["ghost-avatar AAAAAA h1 h9"]);
  });

  it("finds a missing player and a missing avatar", () => {
    const found = compareViews(truth, withView(view("h2", "BBBBBB", ["oB", "h2"])), members);
    assert.deepEqual(kinds(found), ["missing BBBBBB h2 h3", "missing-avatar BBBBBB h2 h3"]);
  });

  it("finds a player twice", () => {
    const twice: RoomView = {
      ...view("oB", "BBBBBB", []),
      players: [
        { key: "oB", connected: true },
        { key: "h2", connected: true },
        { key: "h3", connected: true },
        { key: "h3", connected: true },
      ],
      avatarIds: ["oB", "h2", "h3"],
    };
    const found = compareViews(truth, withView(twice), members);
    assert.deepEqual(
      found.map((d) => [d.kind, d.playerId, d.detail]),
      [["duplicate", "h3", "appears twice"]],
    );
  });

  it("finds an expected player shown disconnected", () => {
    const v = view("oA", "AAAAAA", ["oA"]);
    const found = compareViews(
      truth,
      withView({ ...v, players: [...(v.players ?? []), { key: "h1", connected: false }], avatarIds: ["oA", "h1"] }),
      members,
    );
    assert.deepEqual(kinds(found), ["disconnected AAAAAA oA h1"]);
  });

  it("reports a member without state, a closed connection, a member with no view, a stray view and an unknown room", () => {
    const views = exactViews()
      .filter((v) => v.viewer !== "h3") // h3's client does not hold BBBBBB
      .map((v) => (v.viewer === "h1" ? { ...v, players: null } : v.viewer === "h2" ? { ...v, closeCode: 4102 } : v));
    views.push(view("h3", "AAAAAA", ["oA", "h1"])); // h3 holds a room it is not in
    views.push(view("oA", "ZZZZZZ", []));
    assert.deepEqual(kinds(compareViews(truth, views, members)), [
      "no-state AAAAAA h1 ",
      "no-state BBBBBB h2 ",
      "no-view BBBBBB h3 ",
      "stray-view AAAAAA h3 h3",
      "unknown-room ZZZZZZ oA ",
    ]);
  });

  it("checks the server's one view per room when asked for SERVER_VIEWER", () => {
    const server = [view(SERVER_VIEWER, "AAAAAA", ["oA", "h1", "h3"])];
    assert.deepEqual(kinds(compareViews(truth, server, () => [SERVER_VIEWER])), [
      "ghost AAAAAA server h3",
      "ghost-avatar AAAAAA server h3",
      "no-view BBBBBB server ",
    ]);
  });

  it("groups one problem seen by many viewers", () => {
    const views = exactViews().map((v) => (v.code === "BBBBBB" ? view(v.viewer, "BBBBBB", ["oB", "h2", "h3", "h1"]) : v));
    const groups = groupDiscrepancies(compareViews(truth, views, members));
    assert.deepEqual(
      groups.map((g) => [g.kind, g.code, g.playerId, g.viewers]),
      [
        ["ghost", "BBBBBB", "h1", ["oB", "h2", "h3"]],
        ["ghost-avatar", "BBBBBB", "h1", ["oB", "h2", "h3"]],
      ],
    );
  });
});

describe("switch check: the admin listing, the audit trail and the admin state", () => {
  const listing = (roomId: string, code: string, players: number, clients = players) => ({ roomId, code, players, spectators: 0, clients });

  it("accepts listings with the right counts and finds a wrong count, a missing room and a changed code", () => {
    assert.deepEqual(compareListings(truth, [listing("ra", "AAAAAA", 2), listing("rb", "BBBBBB", 3)]), []);
    const found = compareListings(truth, [listing("ra", "AAAAAA", 3), listing("rx", "BBBBBB", 3)]);
    assert.deepEqual(
      found.map((d) => [d.kind, d.code]),
      [
        ["count", "AAAAAA"],
        ["not-listed", "BBBBBB"],
      ],
    );
    assert.match(found[0]?.detail ?? "", /listed 3 players .* expected 2/);
    assert.deepEqual(
      compareListings(truth, [listing("ra", "CCCCCC", 2), listing("rb", "BBBBBB", 3)]).map((d) => d.kind),
      ["not-listed"],
    );
  });

  it("after everyone left, accepts disposed or empty rooms and finds seats or connections left behind", () => {
    const rooms = truth.map(({ code, roomId }) => ({ code, roomId }));
    assert.deepEqual(leftBehind(rooms, []), []);
    assert.deepEqual(leftBehind(rooms, [listing("ra", "AAAAAA", 0, 0), listing("other", "BBBBBB", 5)]), []);
    const found = leftBehind(rooms, [listing("ra", "AAAAAA", 1, 0), listing("rb", "BBBBBB", 0, 2)]);
    assert.deepEqual(
      found.map((d) => [d.kind, d.code]),
      [
        ["left-behind", "AAAAAA"],
        ["left-behind", "BBBBBB"],
      ],
    );
  });

  it("reads the audit trail: every joined closed by a left or kicked, none joined twice", () => {
    const room = { code: "AAAAAA", roomId: "ra" };
    const e = (kind: string, playerId: string) => ({ kind, playerId });
    const balanced = [
      e("created", ""),
      e("joined", "a"),
      e("host-changed", "a"),
      e("joined", "b"),
      e("left", "b"),
      e("joined", "b"),
      e("kicked", "b"),
      e("left", "a"),
      e("disposed", ""),
    ];
    assert.deepEqual(unbalancedSeats(room, balanced), []);
    const found = unbalancedSeats(room, [e("joined", "a"), e("joined", "b"), e("joined", "b"), e("left", "a"), e("disposed", "")]);
    assert.deepEqual(
      found.map((d) => [d.kind, d.playerId]),
      [
        ["duplicate", "b"],
        ["left-behind", "b"],
      ],
    );
  });

  it("turns an admin state into a view: players keyed by id, the seats holding an avatar", () => {
    const state = {
      code: "AAAAAA",
      players: {
        oA: { name: "o", connected: true, avatar: { x: 1, y: 2 } },
        h1: { name: "h", connected: false, avatar: { x: 3, y: 4 } },
        s9: { name: "s", connected: true },
      },
    };
    const v = roomViewFromState("AAAAAA", SERVER_VIEWER, state);
    assert.deepEqual(v, {
      viewer: SERVER_VIEWER,
      code: "AAAAAA",
      players: [
        { key: "oA", connected: true },
        { key: "h1", connected: false },
        { key: "s9", connected: true },
      ],
      avatarIds: ["oA", "h1"],
      closeCode: null,
    });
    assert.equal(roomViewFromState("AAAAAA", SERVER_VIEWER, {}).players, null);
  });
});
