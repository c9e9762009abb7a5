/**
 * Server-rendered SVG charts for the dashboard: no chart library, no script, no style attributes
 * (colours come from classes in console.css). Labels are escaped like every other string.
 */
import { html, type SafeHtml } from './html.ts';

const r1 = (n: number) => Math.round(n * 10) / 10;
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Vertical bars, one per point (e.g. per day); every `labelEvery`-th label is drawn. */
export function columnChart(
  points: { label: string; value: number }[],
  opts: { title: string; labelEvery?: number },
): SafeHtml {
  const W = 600;
  const H = 200;
  const pad = { l: 36, r: 8, t: 10, b: 28 };
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = (W - pad.l - pad.r) / Math.max(1, points.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const every = opts.labelEvery ?? Math.ceil(points.length / 6);
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${opts.title}">
<line class="axis" x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}"/>
<text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${max}</text><text x="${pad.l - 4}" y="${H - pad.b}" text-anchor="end">0</text>
${points.map(
  (p, i) =>
    html`<rect class="bar" x="${r1(pad.l + i * step + step * 0.1)}" y="${r1(y(p.value))}" width="${r1(step * 0.8)}" height="${r1(H - pad.b - y(p.value))}"><title>${p.label}: ${p.value}</title></rect>${
      i % every === 0
        ? html`<text x="${r1(pad.l + i * step + step / 2)}" y="${H - pad.b + 16}" text-anchor="middle">${p.label}</text>`
        : ''
    }`,
)}</svg>`;
}

/** Horizontal bars with a label and a value each (per source, top shops). */
export function barList(
  rows: { label: string; value: number; href?: string }[],
  opts: { title: string },
): SafeHtml {
  const W = 600;
  const row = 24;
  const labelW = 250;
  const H = Math.max(row, rows.length * row) + 4;
  const max = Math.max(1, ...rows.map((r) => r.value));
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${opts.title}">
${rows.map((r, i) => {
  const w = r1(((W - labelW - 50) * r.value) / max);
  const label = html`<text x="0" y="${i * row + 16}">${cut(r.label, 38)}<title>${r.label}</title></text>`;
  return html`${r.href ? html`<a href="${r.href}">${label}</a>` : label}<rect class="bar" x="${labelW}" y="${i * row + 4}" width="${w}" height="${row - 8}"><title>${r.label}: ${r.value}</title></rect><text x="${labelW + w + 4}" y="${i * row + 16}">${r.value}</text>`;
})}</svg>`;
}

/** One bar split into shares (bundle outcomes), with a legend giving counts and percentages. */
export function shareBar(
  parts: { key: string; label: string; value: number }[],
  opts: { title: string },
): SafeHtml {
  const W = 600;
  const total = parts.reduce((s, p) => s + p.value, 0);
  let x = 0;
  const rects = parts.map((p) => {
    const w = total ? (W * p.value) / total : 0;
    const out = html`<rect class="bar ${p.key}" x="${r1(x)}" y="0" width="${r1(w)}" height="28"><title>${p.label}: ${p.value}</title></rect>`;
    x += w;
    return out;
  });
  const pct = (v: number) => (total ? `${Math.round((100 * v) / total)}%` : '0%');
  return html`<svg class="chart" viewBox="0 0 ${W} 28" role="img" aria-label="${opts.title}">${rects}</svg>
<p class="legend">${parts.map((p) => html`<span class="${p.key}"></span>${p.label} ${p.value} (${pct(p.value)})`)}</p>`;
}
