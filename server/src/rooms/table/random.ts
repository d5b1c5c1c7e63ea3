/**
 * The server's randomness for table sessions, given to the pure domain code as functions: dice and
 * initiative take an Rng, new entities and combatants take an id maker.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Rng } from "../../domain/table/plugins/RulesPlugin";

export const cryptoRng: Rng = (sides) => randomInt(1, sides + 1);

/** An entity id: the collection's initial and 48 random bits, e.g. "aX3k9_2Lm" for an actor. */
export function newEntityId(collection: string): string {
  return `${collection.slice(0, 1)}${randomBytes(6).toString("base64url")}`;
}
