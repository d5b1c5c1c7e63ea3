/** How the reports name and colour each target, so every report and chart reads alike. */
import type { TargetName } from "./space/target";

export const TARGET_LABELS: Record<TargetName, string> = {
  tavern: "Tavern (schema patches)",
  colyseus: "bare Colyseus room",
  snapshot: "Socket.IO full snapshot",
  events: "Socket.IO event per change",
};

export const TARGET_COLORS: Record<TargetName, string> = { tavern: "#2563eb", colyseus: "#16a34a", snapshot: "#dc2626", events: "#d97706" };
