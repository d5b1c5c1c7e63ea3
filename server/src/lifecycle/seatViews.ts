/**
 * Per-seat views: the parts of a room's state that only some clients may see (a table's GM-only
 * entities, a card player's own drawn card). A room declares private parts by audience (a name
 * such as "gm" or "seat:<playerId>") and says which audiences each client belongs to; the
 * lifecycle gives every client a StateView holding exactly those parts, renews it when the
 * client's audiences change and disposes of it when the client goes.
 *
 * A client in no audience has no view at all, so every such client shares the one encoding of the
 * public state. Hidden information must not show in what other clients receive, not even as a
 * count: every instance attached to the state takes the next refId of one room-wide counter, so a
 * private instance numbered from it would leave a hole in the refIds everyone else gets. Private
 * instances are numbered apart, before they are attached (the encoder keeps a refId an instance
 * already has), each audience from a range of its own far above the room-wide counter, so a
 * client's refIds number exactly what it was sent.
 */
import { $changes, $refId, StateView, type Ref } from "@colyseus/schema";

/** Anything whose `view` the lifecycle manages (a Colyseus Client). */
export interface ViewHolder {
  view?: StateView;
}

/**
 * First refId of private instances. The room-wide counter would need over two billion attached
 * instances to reach it; the encoder sends refIds as numbers of any size.
 */
export const PRIVATE_REF_ID_BASE = 2 ** 31;
/** Each audience numbers its instances within a range this wide. */
const AUDIENCE_RANGE = 2 ** 24;

interface Audience {
  roots: Ref[];
  nextRefId: number;
}

export class SeatViews {
  private readonly audiences = new Map<string, Audience>();
  private ranges = 0;
  /** Every live view, with the audiences it was built for. */
  private readonly views = new Map<StateView, readonly string[]>();

  /**
   * Makes `root`, and everything under it, a private part of `audience`: numbered apart, then
   * attached to the state by `attach` (a field or map entry tagged `.view()`), then taken in by
   * the views of the audience, now and later.
   */
  share(audience: string, root: Ref, attach: () => void): void {
    const part = this.audience(audience);
    this.number(part, root);
    attach();
    part.roots.push(root);
    for (const [view, audiences] of this.views) if (audiences.includes(audience)) view.add(root);
  }

  /**
   * Attaches a new instance inside a private part of `audience` (`attach` puts it in place),
   * numbered apart before. Views take in new entries of private maps by themselves, but not
   * collections of primitives under them (those never share a parent's visibility), so the
   * instance is added to them explicitly once attached.
   */
  adopt(audience: string, ref: Ref, attach: () => void): void {
    this.number(this.audience(audience), ref);
    attach();
    for (const [view, audiences] of this.views) if (audiences.includes(audience)) view.add(ref);
  }

  /** Forgets an audience whose seat is gone: its parts leave every view (detach them from the state too). */
  drop(audience: string): void {
    const part = this.audiences.get(audience);
    if (!part) return;
    for (const [view, audiences] of this.views) if (audiences.includes(audience)) for (const root of part.roots) view.remove(root);
    part.roots = [];
  }

  /**
   * Gives a client the view of exactly these audiences (none: no view). A client whose view is
   * already right keeps it (a reconnected client keeps what it decoded). A client that leaves an
   * audience keeps what it decoded of it, stale: its integrity check no longer matches and it joins again.
   */
  show(client: ViewHolder, audiences: readonly string[]): void {
    const wanted = [...new Set(audiences)].sort();
    const held = client.view ? this.views.get(client.view) : audiences.length === 0 ? [] : undefined;
    if (held && sameList(held, wanted)) return;
    this.hide(client);
    if (wanted.length === 0) return;
    const view = new StateView();
    for (const name of wanted) for (const root of this.audience(name).roots) view.add(root);
    this.views.set(view, wanted);
    client.view = view;
  }

  /** Drops a client's view (it left, or it belongs to no audience any more). */
  hide(client: ViewHolder): void {
    if (!client.view) return;
    this.views.delete(client.view);
    client.view.dispose();
    delete client.view;
  }

  /** A key shared by clients that see the same parts (to compute one state hash per view). */
  keyOf(client: ViewHolder): string {
    const audiences = client.view ? this.views.get(client.view) : undefined;
    return audiences && audiences.length > 0 ? audiences.join("|") : "public";
  }

  private audience(name: string): Audience {
    let part = this.audiences.get(name);
    if (!part) {
      part = { roots: [], nextRefId: PRIVATE_REF_ID_BASE + AUDIENCE_RANGE * this.ranges++ };
      this.audiences.set(name, part);
    }
    return part;
  }

  private number(part: Audience, ref: Ref): void {
    if (ref[$refId] === undefined) {
      Object.defineProperty(ref, $refId, { value: part.nextRefId++, enumerable: false, writable: true });
    }
    // Optional in the type (decoder-side instances); every instance built on the server has one.
    ref[$changes]!.forEachChild((child) => this.number(part, child.ref));
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
