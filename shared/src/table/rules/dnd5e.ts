/** The dnd5e-lite rules' facts both sides need: the server's plugin validates with them, the GM's editor offers them. */
export const DND5E_CONDITIONS = [
  "blinded",
  "charmed",
  "deafened",
  "frightened",
  "grappled",
  "incapacitated",
  "invisible",
  "paralyzed",
  "petrified",
  "poisoned",
  "prone",
  "restrained",
  "stunned",
  "unconscious",
] as const;
export type Dnd5eCondition = (typeof DND5E_CONDITIONS)[number];
