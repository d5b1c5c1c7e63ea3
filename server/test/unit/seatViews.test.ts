import assert from "node:assert/strict";
import { $refId, Decoder, Encoder, schema, t, type SchemaType, type StateView } from "@colyseus/schema";
import { PRIVATE_REF_ID_BASE, SeatViews, type ViewHolder } from "../../src/lifecycle/seatViews";

const Secret = schema({ value: t.int16().default(-1) }, "SeatViewsTestSecret");
type Secret = SchemaType<typeof Secret>;
const Table = schema(
  {
    discard: t.int16().default(0),
    secrets: t.map(Secret).view(),
  },
  "SeatViewsTestTable",
);
type Table = SchemaType<typeof Table>;

/** A room with three clients (two seats and a spectator), each decoding what its view lets through. */
function room() {
  const state: Table = new Table();
  const views = new SeatViews();
  const encoder = new Encoder(state);
  const clients = { a: {} as ViewHolder, b: {} as ViewHolder, watcher: {} as ViewHolder };
  const decoders = { a: new Decoder(new Table()), b: new Decoder(new Table()), watcher: new Decoder(new Table()) };
  let joined = false;
  const flush = () => {
    const it = { offset: 0 };
    const shared = (joined ? encoder.encode(it) : encoder.encodeAll(it)).slice();
    const encodeFor = (view: StateView | undefined) =>
      view === undefined
        ? shared
        : (joined
            ? encoder.encodeView(view, shared.length, { offset: shared.length })
            : encoder.encodeAllView(view, shared.length, { offset: shared.length })
          ).slice();
    for (const name of ["a", "b", "watcher"] as const) {
      const bytes = encodeFor(clients[name].view);
      if (bytes.length > 0) decoders[name].decode(bytes);
    }
    encoder.discardChanges();
    joined = true;
  };
  const seat = (id: "a" | "b", value: number) => {
    const secret = new Secret().assign({ value });
    views.share(`seat:${id}`, secret, () => state.secrets.set(id, secret));
    return secret;
  };
  return { state, views, clients, decoders, flush, seat };
}

function secretsOf(decoder: Decoder<Table>): Record<string, number> {
  const out: Record<string, number> = {};
  decoder.state.secrets?.forEach((s, id) => (out[id] = s.value));
  return out;
}

describe("per-seat views", () => {
  it("each seat decodes its own private part only; a client in no audience decodes none and has no view", () => {
    const r = room();
    r.seat("a", 7);
    r.seat("b", 12);
    r.views.show(r.clients.a, ["seat:a"]);
    r.views.show(r.clients.b, ["seat:b"]);
    r.views.show(r.clients.watcher, []);
    assert.equal(r.clients.watcher.view, undefined, "no view: the shared public encoding");
    r.state.discard = 3;
    r.flush();
    assert.deepEqual(secretsOf(r.decoders.a), { a: 7 });
    assert.deepEqual(secretsOf(r.decoders.b), { b: 12 });
    assert.deepEqual(secretsOf(r.decoders.watcher), {});
    assert.equal(r.decoders.watcher.state.discard, 3);

    // A change inside a private part reaches its audience alone.
    r.state.secrets.get("a")!.value = 9;
    r.flush();
    assert.deepEqual(secretsOf(r.decoders.a), { a: 9 });
    assert.deepEqual(secretsOf(r.decoders.b), { b: 12 });
  });

  it("numbers each audience's instances in a range of its own, above every public refId", () => {
    const r = room();
    const a = r.seat("a", 1);
    const b = r.seat("b", 2);
    const refId = (ref: object) => (ref as { [$refId]: number })[$refId];
    assert.ok(refId(a) >= PRIVATE_REF_ID_BASE && refId(b) >= PRIVATE_REF_ID_BASE);
    assert.ok(Math.abs(refId(a) - refId(b)) >= 2 ** 24, "two audiences, two ranges");
    r.views.show(r.clients.watcher, []);
    r.flush();
    const publicIds = [...r.decoders.watcher.root.refs.keys()].sort((x, y) => x - y);
    assert.deepEqual(
      publicIds,
      publicIds.map((_, i) => i),
      "the public refIds have no hole",
    );
  });

  it("a client that joins an audience later receives its part; hide and drop take it away", () => {
    const r = room();
    r.seat("a", 5);
    r.flush();
    assert.deepEqual(secretsOf(r.decoders.a), {});
    r.views.show(r.clients.a, ["seat:a"]);
    const firstView = r.clients.a.view;
    r.views.show(r.clients.a, ["seat:a"]);
    assert.equal(r.clients.a.view, firstView, "an unchanged audience keeps its view");
    // A view added after the first patch sends the part as a change.
    r.state.secrets.get("a")!.value = 6;
    r.flush();
    assert.equal(r.views.keyOf(r.clients.a), "seat:a");
    assert.deepEqual(secretsOf(r.decoders.a), { a: 6 });

    r.views.drop("seat:a");
    r.state.secrets.delete("a");
    r.flush();
    assert.deepEqual(secretsOf(r.decoders.a), {}, "the dropped part is deleted from the client");
    r.views.hide(r.clients.a);
    assert.equal(r.clients.a.view, undefined);
    assert.equal(r.views.keyOf(r.clients.a), "public");
  });
});
