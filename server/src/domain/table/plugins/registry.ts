/**
 * Every rules plugin a session can use, by id. A new plugin is added here and nowhere else:
 * rooms, the engine and the HTTP API look plugins up through this file.
 */
import { TavernError } from "@tavern/shared/errors";
import { dnd5eLitePlugin } from "./dnd5e-lite";
import { genericPlugin } from "./generic";
import type { RulesPlugin } from "./RulesPlugin";

const ALL: readonly RulesPlugin[] = [genericPlugin, dnd5eLitePlugin];

export const PLUGINS: ReadonlyMap<string, RulesPlugin> = new Map(ALL.map((plugin) => [plugin.id, plugin]));
// Fail at startup rather than let one plugin silently shadow another.
if (PLUGINS.size !== ALL.length) throw new Error("two rules plugins share an id");

export function pluginIds(): string[] {
  return [...PLUGINS.keys()];
}

export function getPlugin(id: string): RulesPlugin {
  const plugin = PLUGINS.get(id);
  if (!plugin) {
    throw new TavernError("VALIDATION_ERROR", `Unknown rules plugin "${id}" (known: ${pluginIds().join(", ")})`, {
      known: pluginIds(),
    });
  }
  return plugin;
}
