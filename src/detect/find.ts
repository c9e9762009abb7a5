/**
 * Finding rule matches in a text: one automaton pass over the normalized text (terms and regex
 * atoms), one over the original for emoji terms (only when the text has units that high), then the
 * regexes whose atoms and required literals occurred. Offsets are mapped back to the original
 * text. Per-pack scratch arrays are reused, so a text costs no allocation beyond its matches.
 */
import { VALIDATORS } from './crypto-address.ts';
import { type HitSink, hitSink, scanUnits } from './matcher.ts';
import { normalizeScratch, unitsToString } from './normalize.ts';
import type { RulePack } from './rule-types.ts';

/** One rule's hit, with offsets into the original text. */
export interface Match {
  rule: string;
  category: string;
  start: number;
  end: number;
  text: string;
}

/** A hit before it is dressed as a Match: rule index and original offsets. */
export interface RawMatch {
  rule: number;
  start: number;
  end: number;
}

/** Matches kept per rule (a huge text repeating a word is not more evidence). */
const MAX_MATCHES_PER_RULE = 20;

/** What findRaw reuses for one pack: hit sinks, per-rule counters, the rules with patterns. */
interface Scratch {
  sink: HitSink;
  symbolSink: HitSink;
  perRule: Int32Array;
  /** Per rule: the last match kept (index into `kept`), chained through `keptPrev`. */
  lastKept: Int32Array;
  keptPrev: number[];
  regexRules: number[];
  enabled: Uint8Array;
}

const scratchOf = new WeakMap<RulePack, Scratch>();

function scratchFor(pack: RulePack): Scratch {
  let s = scratchOf.get(pack);
  if (!s) {
    const n = pack.rules.length;
    s = {
      sink: hitSink(pack.gateCount),
      symbolSink: hitSink(0),
      perRule: new Int32Array(n),
      lastKept: new Int32Array(n),
      keptPrev: [],
      regexRules: pack.rules.flatMap((r, i) => (r.regexes.length ? [i] : [])),
      enabled: Uint8Array.from(pack.rules, (r) => (r.enabled === false ? 0 : 1)),
    };
    scratchOf.set(pack, s);
  }
  return s;
}

/** Every hit in `original` (disabled rules too when `includeDisabled`), sorted by position. */
export function findRaw(pack: RulePack, original: string, includeDisabled = false): RawMatch[] {
  const st = scratchFor(pack);
  const b = normalizeScratch(original);
  const { codes, map, len } = b;
  const out: RawMatch[] = [];
  const { perRule, lastKept, keptPrev, enabled } = st;
  perRule.fill(0);
  lastKept.fill(-1);
  keptPrev.length = 0;
  if (b.high >= pack.symbols.minFirst) {
    const sink = st.symbolSink;
    sink.count = 0;
    scanUnits(pack.symbols, b.source, original.length, sink);
    const { hits } = sink;
    for (let k = 0; k < sink.count * 3; k += 3) {
      const rule = pack.symbolRule[hits[k]!]!;
      if (includeDisabled || enabled[rule]) keep(st, out, rule, hits[k + 1]!, hits[k + 2]!);
    }
  }
  const sink = st.sink;
  sink.count = 0;
  const gated = sink.flags;
  gated.fill(0);
  scanUnits(pack.automaton, codes, len, sink);
  const { hits } = sink;
  for (let k = 0; k < sink.count * 3; k += 3) {
    const rule = pack.literalRule[hits[k]!]!;
    if (includeDisabled || enabled[rule]) keep(st, out, rule, map[hits[k + 1]!]!, map[hits[k + 2]!]!);
  }
  let norm: string | undefined;
  for (const index of st.regexRules) {
    const rule = pack.rules[index]!;
    if (!includeDisabled && !enabled[index]) continue;
    if (rule.atoms?.length && !gated[index]) continue;
    const valid = rule.validate ? VALIDATORS[rule.validate] : undefined;
    const gates = pack.patternGates[index]!;
    const minWord = pack.patternMinWord[index]!;
    for (let p = 0; p < rule.regexes.length; p++) {
      // a pattern runs only when a literal of each of its required sets occurred and the text has
      // a word as long as the pattern needs
      if (b.maxWord < minWord[p]! || !allSet(gated, gates[p]!)) continue;
      const re = rule.regexes[p]!;
      norm ??= unitsToString(codes, len);
      re.lastIndex = 0;
      for (let m = re.exec(norm); m !== null; m = re.exec(norm)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const start = map[m.index]!;
        const end = map[m.index + m[0].length]!;
        if (!valid || valid(original.slice(start, end))) keep(st, out, index, start, end);
      }
    }
  }
  return out.length > 1 ? out.sort(bySpan) : out;
}

const bySpan = (a: RawMatch, b: RawMatch) => a.start - b.start || a.end - b.end;

/** Keeps a hit unless its rule already has it or has reached its cap. */
function keep(st: Scratch, out: RawMatch[], rule: number, start: number, end: number): void {
  const { perRule, lastKept, keptPrev } = st;
  if (perRule[rule]! >= MAX_MATCHES_PER_RULE) return;
  for (let k = lastKept[rule]!; k >= 0; k = keptPrev[k]!) {
    const m = out[k]!;
    if (m.start === start && m.end === end) return;
  }
  keptPrev.push(lastKept[rule]!);
  lastKept[rule] = out.length;
  perRule[rule]!++;
  out.push({ rule, start, end });
}

function allSet(flags: Uint8Array, gates: number[]): boolean {
  for (const g of gates) if (flags[g] === 0) return false;
  return true;
}

/** Raw hits as Matches (rule id, category, original text). */
export function dress(pack: RulePack, original: string, raw: RawMatch[]): Match[] {
  return raw.map(({ rule, start, end }) => {
    const r = pack.rules[rule]!;
    return { rule: r.id, category: r.category, start, end, text: original.slice(start, end) };
  });
}

/** Every match of the pack's rules in `original` (disabled rules too when `includeDisabled`). */
export function findMatches(pack: RulePack, original: string, includeDisabled = false): Match[] {
  return dress(pack, original, findRaw(pack, original, includeDisabled));
}
