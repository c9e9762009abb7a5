/** Text rendering of a backtest report for `dozor rules backtest`. */
import type { BacktestReport, Outcome, Prf } from './backtest.ts';

/** Scraped text made safe for a terminal (control and bidi-override characters escaped). */
const forTerminal = (text: string) =>
  text.replace(
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const row = (name: string, p: Prf) =>
  `${name.padEnd(10)} P ${p.precision.toFixed(3)}  R ${p.recall.toFixed(3)}  F1 ${p.f1.toFixed(3)}  (tp ${p.tp} fp ${p.fp} fn ${p.fn})\n`;
const line = (o: Outcome) =>
  `  [${o.item.label}→${o.verdict} ${o.score}] ${forTerminal(o.item.text.slice(0, 100))}\n    rules: ${o.rules.join(', ') || '-'}\n`;

/** The report as aligned text. */
export function formatReport(
  r: BacktestReport,
  perturbed?: BacktestReport,
  compare?: BacktestReport,
  diff?: { fixed: Outcome[]; broken: Outcome[] },
): string {
  let s = `${r.n} listings\n${row('flagged', r.flagged)}${row('shop', r.perVerdict.shop)}${row('recruit', r.perVerdict.recruit)}`;
  s += 'per language (flagged):\n';
  for (const [lang, p] of Object.entries(r.perLang)) s += row(`  ${lang}`, p);
  s += `false positives per 10 000 benign: ${r.fpPer10kBenign}\n`;
  if (perturbed)
    s += `recall after perturbation: ${perturbed.flagged.recall.toFixed(3)} (unperturbed ${r.flagged.recall.toFixed(3)})\n`;
  s += 'confusion (label \\ verdict):   shop recruit none\n';
  for (const [label, v] of Object.entries(r.confusion))
    s += `  ${label.padEnd(28)}${String(v.shop).padStart(5)}${String(v.recruit).padStart(8)}${String(v.none).padStart(5)}\n`;
  s += `worst false positives (${r.worstFalsePositives.length}):\n${r.worstFalsePositives.map(line).join('')}`;
  s += `worst false negatives (${r.worstFalseNegatives.length}):\n${r.worstFalseNegatives.map(line).join('')}`;
  if (compare && diff) {
    s += `\ncompared pack:\n${row('flagged', compare.flagged)}fixed ${diff.fixed.length}, broken ${diff.broken.length}\n`;
    s += diff.fixed.map((o) => `  + ${line(o)}`).join('') + diff.broken.map((o) => `  - ${line(o)}`).join('');
  }
  return s;
}
