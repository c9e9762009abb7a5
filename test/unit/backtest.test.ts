import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  backtest,
  compareOutcomes,
  type Labelled,
  measure,
  type Outcome,
} from '../../src/detect/backtest.ts';
import { loadRulePack } from '../../src/detect/load-rules.ts';
import { perturb } from '../../src/detect/perturb.ts';
import { root } from '../helpers.ts';

const pack = loadRulePack(`${root}/rules`);
const corpus = (file: string) =>
  readFileSync(`${root}/fixtures/listings/${file}`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Labelled & { kind?: string });

const outcome = (label: Labelled['label'], verdict: Outcome['verdict'], score = 0): Outcome => ({
  item: { id: `${label}-${verdict}`, text: '', label, lang: 'ru' },
  verdict,
  score,
  rules: [],
});

describe('measure', () => {
  it('computes precision, recall, F1, the confusion matrix and FP per 10 000 benign', () => {
    const r = measure([
      outcome('shop', 'shop'),
      outcome('shop', 'none'),
      outcome('recruit', 'recruit'),
      outcome('none', 'shop', 6),
      outcome('none', 'none'),
      outcome('none', 'none'),
      outcome('none', 'none'),
    ]);
    expect(r.flagged).toMatchObject({ tp: 2, fp: 1, fn: 1, precision: 0.667, recall: 0.667 });
    expect(r.perVerdict.shop).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(r.confusion.none).toEqual({ shop: 1, recruit: 0, none: 3 });
    expect(r.fpPer10kBenign).toBe(2500);
    expect(r.worstFalsePositives.map((o) => o.score)).toEqual([6]);
    expect(r.worstFalseNegatives).toHaveLength(1);
  });

  it('compares two runs: what a change fixes and what it breaks', () => {
    const before = [outcome('shop', 'none'), outcome('none', 'none')];
    const after = [outcome('shop', 'shop'), outcome('none', 'shop')];
    const d = compareOutcomes(before, after);
    expect(d.fixed).toHaveLength(1);
    expect(d.broken).toHaveLength(1);
  });
});

describe('the labelled corpus', () => {
  const all = corpus('listings.jsonl');

  it('has ≥ 600 listings in five languages, ≥ 40% hard negatives, no held-out text in train', () => {
    expect(all.length).toBeGreaterThanOrEqual(600);
    expect(new Set(all.map((i) => i.lang))).toEqual(new Set(['ru', 'kk', 'vi', 'en', 'uz']));
    expect(all.filter((i) => i.kind === 'hard').length / all.length).toBeGreaterThanOrEqual(0.4);
    const train = new Set(all.filter((i) => i.split === 'train').map((i) => i.text));
    expect(all.filter((i) => i.split === 'heldout' && train.has(i.text))).toEqual([]);
  });

  it.each([
    ['held-out split', all.filter((i) => i.split === 'heldout')],
    ['hand-written set', corpus('handwritten.jsonl')],
  ])('%s: precision ≥ 0.97, recall ≥ 0.95, robust to obfuscation', (_, items) => {
    const r = backtest(pack, items);
    expect(r.flagged.precision).toBeGreaterThanOrEqual(0.97);
    expect(r.flagged.recall).toBeGreaterThanOrEqual(0.95);
    const positives = items.filter((i) => i.label !== 'none');
    const perturbed = backtest(
      pack,
      positives.map((i) => ({ ...i, text: perturb(i.text) })),
    );
    expect(r.flagged.recall - perturbed.flagged.recall).toBeLessThanOrEqual(0.02);
  });
});
