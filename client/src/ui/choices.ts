/** Menu entries, and what a menu shows when the user's choice is no longer offered. */
export interface Choice {
  value: string;
  label: string;
}

/** The user's choice while it is still offered, else the first entry (what a select then shows). */
export function offered(choices: Choice[], chosen: string): string {
  return choices.some((c) => c.value === chosen) ? chosen : (choices[0]?.value ?? "");
}
