/**
 * Backtesting a pack on labelled listings: precision, recall and F1 per verdict, for flagged
 * (shop + recruit) overall and per language, the confusion matrix, false positives per 10 000
 * benign listings, the worst errors with the rules that fired, and a diff between two packs.
 */
import type { RulePack } from './rule-types.ts';
import { scoreText } from './score.ts';

/** One labelled listing. */
export interface Labelled {
  id: string;
  text: string;
  label: 'shop' | 'recruit' | 'none';
  lang?: string;
  split?: string;
}

/** Precision, recall, F1 and the counts behind them. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** One listing's outcome. */
export interface Outcome {
  item: Labelled;
  verdict: 'shop' | 'recruit' | 'none';
  score: number;
  rules: string[];
}

/** The whole report. */
export interface BacktestReport {
  n: number;
  flagged: Prf;
  perVerdict: Record<'shop' | 'recruit', Prf>;
  perLang: Record<string, Prf>;
  /** confusion[label][verdict] */
  confusion: Record<string, Record<string, number>>;
  fpPer10kBenign: number;
  worstFalsePositives: Outcome[];
  worstFalseNegatives: Outcome[];
  outcomes: Outcome[];
}

const VERDICTS = ['shop', 'recruit', 'none'] as const;

/** Scores every item and measures. */
export function backtest(pack: RulePack, items: Labelled[], worst = 10): BacktestReport {
  const outcomes = items.map((item): Outcome => {
    const r = scoreText(pack, item.text);
    return { item, verdict: r.verdict, score: r.score, rules: [...new Set(r.matches.map((m) => m.rule))] };
  });
  return measure(outcomes, worst);
}

/** Metrics over already-scored outcomes. */
export function measure(outcomes: Outcome[], worst = 10): BacktestReport {
  const flaggedOf = (o: Outcome) => o.verdict !== 'none';
  const positive = (o: Outcome) => o.item.label !== 'none';
  const confusion = Object.fromEntries(
    VERDICTS.map((l) => [l, Object.fromEntries(VERDICTS.map((v) => [v, 0]))]),
  ) as Record<string, Record<string, number>>;
  for (const o of outcomes) confusion[o.item.label]![o.verdict]!++;
  const langs = [...new Set(outcomes.map((o) => o.item.lang ?? '?'))].sort();
  const benign = outcomes.filter((o) => !positive(o));
  const fps = benign.filter(flaggedOf);
  return {
    n: outcomes.length,
    flagged: prf(outcomes, positive, flaggedOf),
    perVerdict: {
      shop: prf(
        outcomes,
        (o) => o.item.label === 'shop',
        (o) => o.verdict === 'shop',
      ),
      recruit: prf(
        outcomes,
        (o) => o.item.label === 'recruit',
        (o) => o.verdict === 'recruit',
      ),
    },
    perLang: Object.fromEntries(
      langs.map((l) => [
        l,
        prf(
          outcomes.filter((o) => (o.item.lang ?? '?') === l),
          positive,
          flaggedOf,
        ),
      ]),
    ),
    confusion,
    fpPer10kBenign: benign.length ? Math.round((fps.length / benign.length) * 10_000) : 0,
    worstFalsePositives: fps.sort((a, b) => b.score - a.score).slice(0, worst),
    worstFalseNegatives: outcomes
      .filter((o) => positive(o) && !flaggedOf(o))
      .sort((a, b) => a.score - b.score)
      .slice(0, worst),
    outcomes,
  };
}

function prf(outcomes: Outcome[], truth: (o: Outcome) => boolean, predicted: (o: Outcome) => boolean): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const o of outcomes) {
    if (predicted(o) && truth(o)) tp++;
    else if (predicted(o)) fp++;
    else if (truth(o)) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { precision: r3(precision), recall: r3(recall), f1: r3(f1), tp, fp, fn };
}

/** What changes between two packs: listings fixed (now right) and broken (now wrong). */
export function compareOutcomes(before: Outcome[], after: Outcome[]) {
  const right = (o: Outcome) => (o.item.label === 'none') === (o.verdict === 'none');
  const fixed: Outcome[] = [];
  const broken: Outcome[] = [];
  after.forEach((o, i) => {
    const b = before[i]!;
    if (right(o) && !right(b)) fixed.push(o);
    if (!right(o) && right(b)) broken.push(o);
  });
  return { fixed, broken };
}
