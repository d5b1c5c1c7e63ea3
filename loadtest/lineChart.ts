/** Plain SVG line charts for the load reports: panels stacked vertically, one legend on top. */
import { escapeXml, niceCeiling } from "./cdfChart";

export interface Series {
  label: string;
  color: string;
  points: Array<{ x: number; y: number | null }>;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  /** A horizontal reference line, e.g. a target to stay under. */
  threshold?: { value: number; label: string };
}

const SIZE = { width: 720, panelHeight: 190, left: 64, right: 20, top: 64, gap: 34, bottom: 40 };

export function renderPanels(title: string, xLabel: string, panels: Panel[]): string {
  const plotW = SIZE.width - SIZE.left - SIZE.right;
  const plotH = SIZE.panelHeight - SIZE.gap;
  const height = SIZE.top + panels.length * SIZE.panelHeight + SIZE.bottom - SIZE.gap;
  const allX = panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.x)));
  const xMax = roundUp(Math.max(1, ...allX));
  const x = (v: number) => (SIZE.left + (v / xMax) * plotW).toFixed(1);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE.width}" height="${height}" viewBox="0 0 ${SIZE.width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${SIZE.left}" y="20" font-size="13" font-weight="600">${escapeXml(title)}</text>`,
  ];
  // One legend for all panels: the series share labels and colours across panels.
  const legend = new Map<string, string>();
  for (const panel of panels) for (const s of panel.series) legend.set(s.label, s.color);
  [...legend].forEach(([label, color], i) => {
    const lx = SIZE.left + i * 170;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="38" y2="38" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${lx + 24}" y="38" dominant-baseline="middle">${escapeXml(label)}</text>`,
    );
  });

  panels.forEach((panel, index) => {
    const top = SIZE.top + index * SIZE.panelHeight;
    const values = panel.series.flatMap((s) => s.points.map((p) => p.y).filter((v): v is number => v !== null));
    const yMax = niceCeiling(Math.max(1, ...values, panel.threshold ? panel.threshold.value * 1.1 : 0));
    const y = (v: number) => (top + (1 - v / yMax) * plotH).toFixed(1);
    parts.push(`<text x="${SIZE.left}" y="${top - 8}" font-weight="600">${escapeXml(panel.title)}</text>`);
    for (let i = 0; i <= 4; i++) {
      const v = (yMax * i) / 4;
      parts.push(
        `<line x1="${SIZE.left}" x2="${SIZE.width - SIZE.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`,
        `<text x="${SIZE.left - 6}" y="${y(v)}" text-anchor="end" dominant-baseline="middle" fill="#555">${formatTick(v)}</text>`,
      );
    }
    const xSteps = [5, 4, 8, 6].find((n) => Number.isInteger(xMax / n)) ?? 4;
    for (let i = 0; i <= xSteps; i++) {
      const v = (xMax * i) / xSteps;
      parts.push(`<text x="${x(v)}" y="${top + plotH + 13}" text-anchor="middle" fill="#555">${formatTick(v)}</text>`);
    }
    parts.push(
      `<rect x="${SIZE.left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`,
      `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(panel.yLabel)}</text>`,
    );
    if (panel.threshold) {
      parts.push(
        `<line x1="${SIZE.left}" x2="${SIZE.width - SIZE.right}" y1="${y(panel.threshold.value)}" y2="${y(panel.threshold.value)}" stroke="#111" stroke-dasharray="4 3"/>`,
        `<text x="${SIZE.width - SIZE.right - 4}" y="${Number(y(panel.threshold.value)) - 4}" text-anchor="end" fill="#111">${escapeXml(panel.threshold.label)}</text>`,
      );
    }
    for (const s of panel.series) {
      const d = pathOf(s.points, x, y);
      if (d) parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"/>`);
    }
  });
  parts.push(`<text x="${SIZE.left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#333">${escapeXml(xLabel)}</text>`, "</svg>");
  return parts.join("\n") + "\n";
}

/** A path through the points; a null value breaks the line. */
function pathOf(points: Series["points"], x: (v: number) => string, y: (v: number) => string): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.y === null) {
      pen = false;
      continue;
    }
    d += `${pen ? " L" : " M"}${x(p.x)},${y(p.y)}`;
    pen = true;
  }
  return d.trim();
}

function formatTick(v: number): string {
  if (v >= 10_000) return `${Number((v / 1000).toFixed(1))}k`;
  return String(Number(v.toFixed(1)));
}

/** The x axis ends at the data's end rounded up to half a power of ten: 60 s stays 60, 23 becomes 25. */
function roundUp(value: number): number {
  const step = 10 ** Math.floor(Math.log10(value)) / 2;
  return Math.ceil(value / step) * step;
}
