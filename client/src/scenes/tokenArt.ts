/**
 * Portraits on the table's tokens, from the art scripts/art makes: a player character shows its
 * owner's avatar (as the space shows them), a non-player character a townsfolk avatar picked by
 * its id, a monster the goblin portrait.
 */
import type * as Phaser from "phaser";
import { characterAt, characterFrame, defaultCharacter } from "@tavern/shared/characters";
import type { TableState } from "@tavern/shared/table/state";
import type { TokenRef } from "../table/entities";

const ART_URL = "art/space/";
const CHARACTERS = "characters";
const TOKENS = "tokens";

export interface Portrait {
  texture: string;
  frame: string;
}

export function loadTokenArt(load: Phaser.Loader.LoaderPlugin): void {
  load.atlas(CHARACTERS, `${ART_URL}characters.png`, `${ART_URL}characters.json`);
  load.atlas(TOKENS, `${ART_URL}tokens.png`, `${ART_URL}tokens.json`);
}

export function portraitOf(state: TableState, ref: TokenRef, entity: { ownerId?: string; kind?: string }): Portrait {
  if (ref.kind === "actor" && entity.kind !== "npc") return { texture: TOKENS, frame: "goblin" };
  const owner = ref.kind === "character" && entity.ownerId ? state.players.get(entity.ownerId) : undefined;
  const character = owner ? owner.character : defaultCharacter(ref.id);
  return { texture: CHARACTERS, frame: characterFrame(characterAt(character).id, "down", 0) };
}
