/**
 * The storm's verdict on one client's copy of the room: does it hold exactly the N players of the
 * storm, with the right names, none twice? Works on any target's SeenPlayer list.
 */
import type { SeenPlayer } from "./space/target";

/** A storm player: its name, and its id once the server seated it (undefined if it never joined). */
export interface ExpectedPlayer {
  name: string;
  id: string | undefined;
}

/** What is wrong with a client's view of the players, compared with the storm's players. */
export function visibilityProblems(seen: readonly SeenPlayer[], expected: readonly ExpectedPlayer[], maxSeen: number): string[] {
  const problems: string[] = [];
  const nameOfId = new Map(expected.flatMap((e) => (e.id === undefined ? [] : [[e.id, e.name] as const])));
  const names = new Set(expected.map((e) => e.name));
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  for (const player of seen) {
    if (seenIds.has(player.id)) problems.push(`${player.id} appears twice`);
    // The same name under another id: the server seated one player twice.
    else if (seenNames.has(player.name)) problems.push(`"${player.name}" appears twice`);
    seenIds.add(player.id);
    seenNames.add(player.name);
    const name = nameOfId.get(player.id);
    if (name !== undefined) {
      if (name !== player.name) problems.push(`${player.id} is named "${player.name}", expected "${name}"`);
    } else if (!names.has(player.name)) {
      problems.push(`unknown player ${player.id} (${player.name})`);
    }
    // Otherwise: a storm player whose join failed on its side but was seated on the server's.
  }
  const missing = expected.filter((e) => (e.id === undefined ? !seenNames.has(e.name) : !seenIds.has(e.id))).length;
  if (missing > 0) problems.push(`missing ${missing} of ${expected.length} players`);
  if (maxSeen > expected.length) problems.push(`saw ${maxSeen} players at once, more than the ${expected.length} in the room`);
  return problems;
}
