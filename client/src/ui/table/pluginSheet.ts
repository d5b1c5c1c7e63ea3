/**
 * The rules-plugin part of a sheet. dnd5e-lite data gets its proper layout (abilities with
 * modifiers, AC, level, conditions, concentration); any other plugin's data is listed as JSON.
 */
import type { JsonValue, PluginData } from "@tavern/shared/table/document";
import { el } from "../dom";

export const ABILITIES = ["str", "dex", "con", "int", "wis", "cha"] as const;

export function abilityModifier(score: number): number {
  return Math.floor((score - 10) / 2);
}

export function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

export function pluginSheet(pluginId: string, data: PluginData): HTMLElement {
  return pluginId === "dnd5e-lite" ? dnd5eSheet(data) : genericSheet(data);
}

function dnd5eSheet(data: PluginData): HTMLElement {
  const box = el("div", "", "plugin-dnd5e");
  const abilities = (data["abilities"] ?? {}) as { [k: string]: JsonValue };
  const table = el("table", "", "abilities");
  const head = el("tr");
  const scores = el("tr");
  for (const key of ABILITIES) {
    const score = typeof abilities[key] === "number" ? abilities[key] : 10;
    head.append(el("th", key.toUpperCase()));
    const cell = el("td", `${score} (${signed(abilityModifier(score))})`);
    cell.dataset["ability"] = key;
    scores.append(cell);
  }
  table.append(head, scores);
  const conditions = Array.isArray(data["conditions"]) ? (data["conditions"] as string[]) : [];
  const concentration = typeof data["concentration"] === "string" ? data["concentration"] : "";
  const facts: [string, string][] = [["AC", String(data["ac"] ?? "?")]];
  if (data["level"] !== undefined) facts.push(["Level", String(data["level"])]);
  facts.push(
    ["Conditions", conditions.length ? conditions.join(", ") : "none"],
    ["Concentration", concentration || "none"],
    ["Reaction", data["reactionUsed"] === true ? "used" : "available"],
  );
  box.append(table, definitionList(facts, "dnd5e"));
  return box;
}

function genericSheet(data: PluginData): HTMLElement {
  const keys = Object.keys(data).sort();
  if (keys.length === 0) return el("p", "No rules data.", "muted");
  return definitionList(
    keys.map((k) => [k, JSON.stringify(data[k])]),
    "generic",
  );
}

export function definitionList(facts: [string, string][], name: string): HTMLDListElement {
  const list = el("dl");
  list.dataset["list"] = name;
  for (const [term, value] of facts) {
    const dd = el("dd", value);
    dd.dataset["field"] = term.toLowerCase();
    list.append(el("dt", term), dd);
  }
  return list;
}
