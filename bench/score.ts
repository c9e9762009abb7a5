/**
 * Scorer throughput on one core with the full pack, against a naive baseline in the same run (one
 * RegExp per term of the full pack over the lower-cased text, the named baseline); flatness
 * with 100, 1 000 and 10 000 synthetic terms; and the pack's compile time. Listings are 500
 * characters, made from the labelled corpus (fixtures/listings). Times are the process's CPU time
 * (median of seven runs, the score and the baseline in alternation), so other work on a shared
 * machine does not count; wall-clock MB/s is printed beside them. The last rows judge the issue's
 * targets: >= 20 MB/s, >= 10x the baseline, and flat throughput as terms are added.
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
    // a flat string, as a listing read from JSON or the database is (not a slice of a longer one)
    return JSON.parse(JSON.stringify(s.slice(0, LISTING_CHARS))) as string;
  });
}

/** CPU and wall-clock seconds of one run of `fn`. */
function seconds(fn: () => void): { cpu: number; wall: number } {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1e6, wall: Number(process.hrtime.bigint() - wall) / 1e9 };
}

const mid = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;

/** Median CPU and wall-clock seconds of `runs`. */
const medianOf = (runs: { cpu: number; wall: number }[]) => ({
  cpu: mid(runs.map((r) => r.cpu)),
  wall: mid(runs.map((r) => r.wall)),
});

/** Median CPU and wall-clock seconds of seven runs. */
const median = (fn: () => void) => medianOf(Array.from({ length: 7 }, () => seconds(fn)));

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The naive baseline: one RegExp per term, each run over the lower-cased text. */
function naive(terms: string[]) {
  const res = terms.map((t) => new RegExp(escapeRegex(t), 'g'));
  return (text: string) => {
    const lower = text.toLowerCase();
    for (const re of res) lower.match(re);
  };
}

/** `n` distinct pseudo-words (Cyrillic and Latin, 5-10 letters), deterministic. */
function syntheticTerms(n: number): string[] {
  const cyr = 'абвгдежзиклмнопрстуфхцчшыэюя';
  const lat = 'abcdefghijklmnopqrstuvwxyz';
  let seed = 7;
  // a 32-bit LCG in integer arithmetic (a product of doubles would lose its low bits and repeat)
  const rnd = (k: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 16) % k;
  };
  const terms = new Set<string>();
  for (let i = 0; terms.size < n; i++) {
    const abc = i % 2 ? cyr : lat;
    let w = '';
    for (let k = 0, len = 5 + rnd(6); k < len; k++) w += abc[rnd(abc.length)];
    terms.add(w);
  }
  return [...terms];
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
  const { cpu } = seconds(() => {
    pack = compilePack([...files.rules, extra], files.settings, 'bench');
  });
  return { pack: pack!, compileMs: cpu * 1000 };
}

/** Runs the benchmark and returns rows for the report. */
export function benchScore() {
  const pack = loadRulePack(`${repoRoot}/rules`);
  const texts = corpus(4000);
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  const terms = pack.rules.flatMap((r) => r.terms ?? []).map((t) => t.replace(/\*$/, '').toLowerCase());
  const base = naive(terms);
  for (const t of texts.slice(0, 500)) scoreText(pack, t); // warm up both the same way
  for (const t of texts.slice(0, 500)) base(t);
  // ours and the baseline in alternation, so that other load on the machine falls on both alike
  const oursRuns: { cpu: number; wall: number }[] = [];
  const baseRuns0: { cpu: number; wall: number }[] = [];
  for (let round = 0; round < 7; round++) {
    oursRuns.push(
      seconds(() => {
        for (const t of texts) scoreText(pack, t);
      }),
    );
    baseRuns0.push(
      seconds(() => {
        for (const t of texts) base(t);
      }),
    );
  }
  const ours = medianOf(oursRuns);
  const baseline = medianOf(baseRuns0);
  const compile = median(() => loadRulePack(`${repoRoot}/rules`));
  const row = (bench: string, t: { cpu: number; wall: number }, n = texts.length, size = mb) => ({
    bench,
    'MB/s': +(size / t.cpu).toFixed(1),
    'listings/s': Math.round(n / t.cpu),
    'wall MB/s': +(size / t.wall).toFixed(1),
  });
  const ratio = baseline.cpu / ours.cpu;
  const rows: Record<string, string | number>[] = [
    row(`score, full pack (${pack.rules.length} rules, ${terms.length} terms), 500-char listings`, ours),
    row(`naive baseline (one RegExp per term, ${terms.length} terms)`, baseline),
    {
      bench: 'speed ratio (score ÷ baseline)',
      'MB/s': +ratio.toFixed(1),
      'listings/s': '',
      'wall MB/s': +(baseline.wall / ours.wall).toFixed(1),
    },
    { bench: 'full pack load and compile, ms', 'MB/s': +(compile.cpu * 1000).toFixed(1), 'listings/s': '' },
  ];
  // flatness: the shipped pack alone and with 100, 1 000 and 10 000 more terms, on the same listings,
  // runs interleaved so that other load on the machine falls on every size alike
  const sample = texts.slice(0, 1000);
  const smb = sample.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  const sizes = [0, 100, 1000, 10000];
  const packs = sizes.map((n) => (n ? packWithTerms(n) : { pack, compileMs: compile.cpu * 1000 }));
  const naives = sizes.map((n) => naive([...terms, ...syntheticTerms(n)]));
  const ourRuns: { cpu: number; wall: number }[][] = sizes.map(() => []);
  const baseRuns: { cpu: number; wall: number }[][] = sizes.map(() => []);
  for (let round = 0; round < 7; round++)
    sizes.forEach((_, k) => {
      ourRuns[k]!.push(
        seconds(() => {
          for (const s of sample) scoreText(packs[k]!.pack, s);
        }),
      );
      baseRuns[k]!.push(
        seconds(() => {
          for (const s of sample) naives[k]!(s);
        }),
      );
    });
  const flat = sizes.map((_, k) => medianOf(ourRuns[k]!));
  sizes.forEach((n, k) => {
    const label = n ? `+${n} synthetic terms` : 'same 1 000 listings, shipped pack';
    const compileMs = n ? `; compile ${packs[k]!.compileMs.toFixed(0)} ms` : '';
    rows.push(
      row(
        `${label}: score (baseline ${(smb / medianOf(baseRuns[k]!).cpu).toFixed(1)} MB/s${compileMs})`,
        flat[k]!,
        sample.length,
        smb,
      ),
    );
  });
  // the targets, judged on CPU time
  const mbs = mb / ours.cpu;
  const slowest = Math.max(...flat.map((f) => f.cpu)) / flat[0]!.cpu;
  rows.push(
    {
      bench: `target: score >= 20 MB/s: ${mbs >= 20 ? 'met' : 'NOT met'}`,
      'MB/s': +mbs.toFixed(1),
      'listings/s': '',
    },
    {
      bench: `target: >= 10x the baseline: ${ratio >= 10 ? 'met' : 'NOT met'}`,
      'MB/s': `${ratio.toFixed(1)}x`,
      'listings/s': '',
    },
    {
      bench: 'flatness: slowest of +100/+1 000/+10 000 terms ÷ shipped pack (time)',
      'MB/s': `${slowest.toFixed(2)}x`,
      'listings/s': '',
    },
  );
  return rows;
}
