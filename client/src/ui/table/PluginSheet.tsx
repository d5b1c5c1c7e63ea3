/**
 * The rules-plugin part of a sheet. dnd5e-lite data gets its proper layout (abilities with
 * modifiers, AC, level, conditions, concentration); any other plugin's data is listed as JSON.
 */
import type { JsonValue, PluginData } from "@tavern/shared/table/document";
import { Fragment } from "preact";

export const ABILITIES = ["str", "dex", "con", "int", "wis", "cha"] as const;

function abilityModifier(score: number): number {
  return Math.floor((score - 10) / 2);
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

export function PluginSheet({ pluginId, data }: { pluginId: string; data: PluginData }) {
  return pluginId === "dnd5e-lite" ? <Dnd5eSheet data={data} /> : <GenericSheet data={data} />;
}

function Dnd5eSheet({ data }: { data: PluginData }) {
  const abilities = (data["abilities"] ?? {}) as { [k: string]: JsonValue };
  const score = (key: string) => {
    const value = abilities[key];
    return typeof value === "number" ? value : 10;
  };
  const conditions = Array.isArray(data["conditions"]) ? (data["conditions"] as string[]) : [];
  const concentration = typeof data["concentration"] === "string" ? data["concentration"] : "";
  const facts: [string, string][] = [["AC", String(data["ac"] ?? "?")]];
  if (data["level"] !== undefined) facts.push(["Level", String(data["level"])]);
  facts.push(
    ["Conditions", conditions.length ? conditions.join(", ") : "none"],
    ["Concentration", concentration || "none"],
    ["Reaction", data["reactionUsed"] === true ? "used" : "available"],
  );
  return (
    <div class="plugin-dnd5e">
      <table class="abilities">
        <tr>
          {ABILITIES.map((key) => (
            <th key={key}>{key.toUpperCase()}</th>
          ))}
        </tr>
        <tr>
          {ABILITIES.map((key) => (
            <td key={key} data-ability={key}>{`${score(key)} (${signed(abilityModifier(score(key)))})`}</td>
          ))}
        </tr>
      </table>
      <Facts facts={facts} name="dnd5e" />
    </div>
  );
}

function GenericSheet({ data }: { data: PluginData }) {
  const keys = Object.keys(data).sort();
  if (keys.length === 0) return <p class="muted">No rules data.</p>;
  return <Facts facts={keys.map((k) => [k, JSON.stringify(data[k])])} name="generic" />;
}

export function Facts({ facts, name }: { facts: [string, string][]; name: string }) {
  return (
    <dl data-list={name}>
      {facts.map(([term, value]) => (
        <Fragment key={term}>
          <dt>{term}</dt>
          <dd data-field={term.toLowerCase()}>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
