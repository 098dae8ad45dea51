// A latency-by-percentile plot as a plain SVG (no library): where percentiles read better than a row of a table.
import { percentile } from './stats.js';

export interface PlotInput {
  readonly title: string;
  readonly series: readonly { readonly label: string; readonly values: readonly number[] }[];
  /** A horizontal line, e.g. the upstream delay under every latency. */
  readonly marker?: { readonly value: number; readonly label: string };
  readonly unit: string;
}

const PERCENTILES = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.9, 100];
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Percentiles on a log-like x axis (the distance to 100 %: 0, 90, 99, 99.9 spread evenly), latency on y. */
export function percentilePlot(input: PlotInput): string {
  const width = 720;
  const height = 360;
  const margin = { left: 64, right: 16, top: 40, bottom: 48 };
  const x = (p: number) => {
    const nines = p >= 100 ? 3.3 : Math.min(3.3, -Math.log10(1 - p / 100));
    return margin.left + (nines / 3.3) * (width - margin.left - margin.right);
  };
  const curves = input.series.map((series) => {
    const sorted = Float64Array.from(series.values).sort();
    return PERCENTILES.map((p) => [p, p === 0 ? sorted[0] ?? 0 : percentile(sorted, p)] as const);
  });
  const top = Math.max(input.marker?.value ?? 0, ...curves.flat().map(([, v]) => v)) * 1.1 || 1;
  const y = (v: number) => height - margin.bottom - (v / top) * (height - margin.top - margin.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${escape(input.title)}</text>`,
    `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="#333"/>`,
  ];
  for (const p of [0, 50, 90, 99, 99.9]) {
    parts.push(`<line x1="${x(p)}" y1="${margin.top}" x2="${x(p)}" y2="${height - margin.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${x(p)}" y="${height - margin.bottom + 16}" text-anchor="middle">p${p}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const v = (top / 5) * i;
    parts.push(`<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(v < 10 ? 1 : 0)}</text>`);
  }
  parts.push(`<text x="16" y="${height / 2}" transform="rotate(-90 16 ${height / 2})" text-anchor="middle">latency (${escape(input.unit)})</text>`);
  parts.push(`<text x="${width / 2}" y="${height - 10}" text-anchor="middle">percentile</text>`);
  if (input.marker) {
    parts.push(`<line x1="${margin.left}" y1="${y(input.marker.value)}" x2="${width - margin.right}" y2="${y(input.marker.value)}" stroke="#999" stroke-dasharray="4 4"/>`);
    parts.push(`<text x="${width - margin.right - 4}" y="${y(input.marker.value) - 4}" text-anchor="end" fill="#666">${escape(input.marker.label)}</text>`);
  }
  curves.forEach((curve, i) => {
    const color = COLORS[i % COLORS.length]!;
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${curve.map(([p, v]) => `${x(p).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    parts.push(`<text x="${margin.left + 8}" y="${margin.top + 14 + i * 16}" fill="${color}">${escape(input.series[i]!.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
