/**
 * Charts the load reports share: the cumulative share of samples done by time (one step line per
 * series, optionally dashed), and the SVG helpers the line charts use too.
 */
import { cdf } from "./stats";

const CHART = { width: 640, height: 360, left: 56, right: 20, top: 44, bottom: 48 };
const LEGEND = { width: 330, row: 16 };
const DASH = "6 4";

/** Smallest 1, 2, 4, 5 or 8 times a power of ten at or above value (at least 1). */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 4, 5, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export interface CdfSeries {
  label: string;
  color: string;
  values: readonly number[];
  /** What one sample is, for the legend's count ("clients", "hops"). */
  unit: string;
  /** Draws the line dashed, to tell two measures of one colour apart. */
  dashed?: boolean;
}

/** One step line per series: the cumulative share (0-100%) of its samples at or below each x. */
export function renderCdfSvg(title: string, xLabel: string, series: readonly CdfSeries[]): string {
  // A loop, not Math.max(...values): a spread of a few hundred thousand samples overflows the stack.
  let largest = 1;
  for (const s of series) for (const v of s.values) if (v > largest) largest = v;
  const xMax = niceCeiling(largest);
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const x = (v: number) => (CHART.left + (v / xMax) * plotW).toFixed(1);
  const y = (fraction: number) => (CHART.top + (1 - fraction) * plotH).toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART.width}" height="${CHART.height}" viewBox="0 0 ${CHART.width} ${CHART.height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${CHART.left}" y="20" font-size="13" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const fraction = i / 4;
    parts.push(
      `<line x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${y(fraction)}" y2="${y(fraction)}" stroke="#e5e7eb"/>`,
      `<text x="${CHART.left - 6}" y="${y(fraction)}" text-anchor="end" dominant-baseline="middle" fill="#555">${i * 25}%</text>`,
    );
    const v = (xMax * i) / 4;
    parts.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${CHART.top}" y2="${CHART.top + plotH}" stroke="#e5e7eb"/>`,
      `<text x="${x(v)}" y="${CHART.top + plotH + 16}" text-anchor="middle" fill="#555">${Number(v.toFixed(1))}</text>`,
    );
  }
  parts.push(
    `<text x="${CHART.left + plotW / 2}" y="${CHART.height - 10}" text-anchor="middle" fill="#333">${escapeXml(xLabel)}</text>`,
    `<rect x="${CHART.left}" y="${CHART.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`,
  );
  const counts = series.map((s) => {
    const points = cdf(s.values);
    if (points.length > 0) {
      // Step line: flat until the next sample, then up by its share.
      let d = `M${x(points[0]?.value ?? 0)},${y(0)}`;
      let previous = 0;
      for (const p of points) {
        d += ` L${x(p.value)},${y(previous)} L${x(p.value)},${y(p.fraction)}`;
        previous = p.fraction;
      }
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash(s)}/>`);
    }
    return points.length;
  });
  // Bottom right, on a white box over the lines: a cumulative curve rises from the bottom left and
  // ends flat at the top, so that corner stays clear longest.
  const lx = CHART.left + plotW - LEGEND.width;
  const top = CHART.top + plotH - 6 - series.length * LEGEND.row;
  parts.push(
    `<rect x="${lx - 6}" y="${top}" width="${LEGEND.width}" height="${series.length * LEGEND.row}" fill="#fff" fill-opacity="0.85"/>`,
  );
  series.forEach((s, i) => {
    const ly = top + (i + 0.5) * LEGEND.row;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${dash(s)}/>`,
      `<text x="${lx + 24}" y="${ly}" dominant-baseline="middle">${escapeXml(`${s.label} (${counts[i] ?? 0} ${s.unit})`)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function dash(series: CdfSeries): string {
  return series.dashed ? ` stroke-dasharray="${DASH}"` : "";
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
