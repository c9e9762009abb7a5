/**
 * Scorer throughput on one core with the full pack, against a naive baseline in the same run (one
 * RegExp per term over the lower-cased text, the named baseline); flatness with 100,
 * 1 000 and 10 000 synthetic terms; and the pack's compile time. Listings are ~500 characters,
 * made from the labelled corpus (fixtures/listings).
 */
import { readFileSync } from 'node:fs';
import { repoRoot } from '../src/config/config.ts';
import { compilePack, loadRulePack } from '../src/detect/load-rules.ts';
import { readPackFiles } from '../src/detect/pack-files.ts';
import type { RulePack } from '../src/detect/rule-types.ts';
import { scoreText } from '../src/detect/score.ts';

const LISTING_CHARS = 500;

/** ~500-character listings made by joining corpus texts (all languages, all labels). */
function corpus(n: number): string[] {
  const texts = readFileSync(`${repoRoot}/fixtures/listings/listings.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  return Array.from({ length: n }, (_, i) => {
    let s = '';
    for (let k = i * 7; s.length < LISTING_CHARS; k += 13) s += `${texts[k % texts.length]} `;
    return s.slice(0, LISTING_CHARS);
  });
}

function seconds(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Median of five runs. */
const median = (fn: () => void) => [1, 2, 3, 4, 5].map(() => seconds(fn)).sort((a, b) => a - b)[2]!;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The naive baseline: one RegExp per term, each run over the lower-cased text. */
function naive(terms: string[]) {
  const res = terms.map((t) => new RegExp(escapeRegex(t), 'g'));
  return (text: string) => {
    const lower = text.toLowerCase();
    for (const re of res) lower.match(re);
  };
}

/** `n` pseudo-words (Cyrillic and Latin), deterministic. */
function syntheticTerms(n: number): string[] {
  const cyr = 'абвгдежзиклмнопрстуфхцчшыэюя';
  const lat = 'abcdefghijklmnopqrstuvwxyz';
  let seed = 7;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  return Array.from({ length: n }, (_, i) => {
    const abc = i % 2 ? cyr : lat;
    let w = '';
    for (let k = 0, len = 5 + rnd(6); k < len; k++) w += abc[rnd(abc.length)];
    return w;
  });
}

/** The shipped pack plus one rule holding `n` synthetic terms. */
function packWithTerms(n: number): { pack: RulePack; compileMs: number } {
  const files = readPackFiles(`${repoRoot}/rules`);
  const extra = {
    id: 'xx.substance.synthetic',
    category: 'substance' as const,
    weight: 1,
    terms: syntheticTerms(n),
    file: 'synthetic',
    line: 1,
  };
  let pack: RulePack | undefined;
  const compileMs = seconds(() => {
    pack = compilePack([...files.rules, extra], files.settings, 'bench');
  });
  return { pack: pack!, compileMs: compileMs * 1000 };
}

/** Runs the benchmark and returns rows for the report. */
export function benchScore() {
  const pack = loadRulePack(`${repoRoot}/rules`);
  const texts = corpus(4000);
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  const terms = pack.rules.flatMap((r) => r.terms ?? []).map((t) => t.replace(/\*$/, '').toLowerCase());
  const base = naive(terms);
  const ours = median(() => {
    for (const t of texts) scoreText(pack, t);
  });
  const baseline = median(() => {
    for (const t of texts) base(t);
  });
  const compile = median(() => loadRulePack(`${repoRoot}/rules`));
  const rows: Record<string, string | number>[] = [
    {
      bench: `score, full pack (${pack.rules.length} rules, ${terms.length} terms), 500-char listings`,
      'MB/s': +(mb / ours).toFixed(1),
      'listings/s': Math.round(texts.length / ours),
    },
    {
      bench: 'naive baseline (RegExp per term, same terms)',
      'MB/s': +(mb / baseline).toFixed(1),
      'listings/s': Math.round(texts.length / baseline),
    },
    { bench: 'speed ratio (score ÷ baseline)', 'MB/s': +(baseline / ours).toFixed(1), 'listings/s': '' },
    { bench: 'full pack compile, ms', 'MB/s': +(compile * 1000).toFixed(1), 'listings/s': '' },
  ];
  const sample = texts.slice(0, 500);
  const smb = sample.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  for (const n of [100, 1000, 10000]) {
    const { pack: big, compileMs } = packWithTerms(n);
    const t = median(() => {
      for (const s of sample) scoreText(big, s);
    });
    const nb = naive([...terms, ...syntheticTerms(n)]);
    const tb = seconds(() => {
      for (const s of sample) nb(s);
    });
    rows.push({
      bench: `+${n} synthetic terms: score (baseline MB/s ${(smb / tb).toFixed(1)}; compile ${compileMs.toFixed(0)} ms)`,
      'MB/s': +(smb / t).toFixed(1),
      'listings/s': Math.round(sample.length / t),
    });
  }
  return rows;
}
