/** Where every load report goes: <command>-<start time>-<scale>.{json,md,svg} in the --out directory. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ReportContents {
  /** Serialised as indented JSON. */
  json: unknown;
  /** The Markdown, given the chart's file name to link to. */
  markdown: (svgFile: string) => string;
  svg: string;
}

/** Writes the three files and returns their paths (JSON, Markdown, SVG). */
export function writeReportFiles(outDir: string, command: string, startedAt: string, scale: string, contents: ReportContents): string[] {
  mkdirSync(outDir, { recursive: true });
  // File names may not hold colons everywhere; the fraction of a second adds nothing.
  const stamp = startedAt.replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  const base = `${command}-${stamp}-${scale}`;
  const files = [join(outDir, `${base}.json`), join(outDir, `${base}.md`), join(outDir, `${base}.svg`)] as const;
  writeFileSync(files[0], JSON.stringify(contents.json, null, 2) + "\n");
  writeFileSync(files[1], contents.markdown(`${base}.svg`));
  writeFileSync(files[2], contents.svg);
  return [...files];
}
