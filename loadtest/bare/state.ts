/**
 * The bare Colyseus room's state: what a shared space needs at the least, a name and a position
 * per player, plus the send time the load scripts measure patch latency from (Tavern's space
 * carries the same `serverTime`, so that field costs both targets alike).
 */
import { schema, t, type SchemaType } from "@colyseus/schema";

export const BarePlayer = schema(
  {
    name: t.string().default(""),
    x: t.number().default(0),
    y: t.number().default(0),
  },
  "BarePlayer",
);
export type BarePlayer = SchemaType<typeof BarePlayer>;

export const BareState = schema(
  {
    players: t.map(BarePlayer),
    serverTime: t.number().default(0),
  },
  "BareState",
);
export type BareState = SchemaType<typeof BareState>;
