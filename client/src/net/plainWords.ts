/**
 * The server's validation messages name each failing field in the schema validator's terms
 * (`Invalid encounter request: initiative: Too big: expected number to be <=1000`); this says the
 * same in a sentence (`Initiative must be at most 1000.`). Wording it does not know is kept.
 */

/** The prefixes the server puts before the field list. */
const PREFIX = /^Invalid (?:[\w-]+ request|join options|room options|table options): /;

const KINDS: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "yes or no",
  object: "a group of values",
  array: "a list",
};

export function plainValidation(message: string): string {
  const body = message.replace(PREFIX, "");
  if (body === message && !/(Too big|Too small|Invalid input|Invalid option|Unrecognized key|Invalid string)/.test(message)) return message;
  return body.split("; ").map(plainIssue).join(" ");
}

function plainIssue(issue: string): string {
  const at = issue.match(/^([\w.]+): (.*)$/);
  const [subject, rule] = at ? [fieldName(at[1]!), at[2]!] : ["The value", issue];
  return sentence(`${subject} ${plainRule(rule)}`);
}

/** `fields.maxHp` → `max HP`-ish words: the last named segment, camelCase split. */
function fieldName(path: string): string {
  const named = path.split(".").filter((p) => p && !/^\d+$/.test(p));
  const last = named[named.length - 1] ?? "value";
  return last
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/\bhp\b/g, "HP");
}

function plainRule(rule: string): string {
  let m: RegExpMatchArray | null;
  if ((m = rule.match(/^Too big: expected number to be <=(\S+)/))) return `must be at most ${m[1]}`;
  if ((m = rule.match(/^Too big: expected number to be <(\S+)/))) return `must be less than ${m[1]}`;
  if ((m = rule.match(/^Too small: expected number to be >=(\S+)/))) return `must be at least ${m[1]}`;
  if ((m = rule.match(/^Too small: expected number to be >(\S+)/))) return `must be more than ${m[1]}`;
  if ((m = rule.match(/^Too small: expected string to have >=(\d+) characters?/)))
    return m[1] === "1" ? "must not be empty" : `must be at least ${m[1]} characters`;
  if ((m = rule.match(/^Too big: expected string to have <=(\d+) characters?/))) return `must be at most ${m[1]} characters`;
  if ((m = rule.match(/^Too big: expected array to have <=(\d+) items?/))) return `can hold at most ${m[1]}`;
  if ((m = rule.match(/^Too small: expected array to have >=(\d+) items?/))) return `needs at least ${m[1]}`;
  if ((m = rule.match(/^Invalid input: expected (\w+)/))) return `must be ${KINDS[m[1]!] ?? m[1]!}`;
  if ((m = rule.match(/^Invalid option: expected one of (.*)$/))) return `must be one of ${m[1]!.replace(/"/g, "").split("|").join(", ")}`;
  if ((m = rule.match(/^Unrecognized key: "?([^"]*)"?/))) return `has a field this request does not take (${m[1]})`;
  if (/^Invalid string: must match pattern/.test(rule)) return "is not in the expected form";
  return `: ${rule}`.replace(/^: /, "is not accepted: ");
}

function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
