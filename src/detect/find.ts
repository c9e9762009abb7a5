/**
 * Finding rule matches in a text: one automaton pass over the normalized text (terms and regex
 * atoms; run inside normalization's last pass when the automaton is a full DFA), one over the
 * original for emoji terms (only when the text has units that high), then the regexes whose atoms
 * and required literals occurred. Offsets are mapped back to the original text. Per-pack scratch
 * arrays are reused, so a text costs no allocation beyond its matches.
 */
import { VALIDATORS } from './crypto-address.ts';
import { type HitSink, hitSink, scanEvents, scanUnits, type UnitScan, unitScan } from './matcher.ts';
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

/**
 * Hits before they are dressed as Matches: rule index and original offsets of hit k at
 * `rule[k]`, `start[k]`, `end[k]` for k < count, sorted by span (stable: emoji terms, then terms
 * in scan order, then patterns in rule order). Scratch of the pack, overwritten by the next text.
 */
export interface RawHits {
  rule: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
}

/** Matches kept per rule (a huge text repeating a word is not more evidence). */
const MAX_MATCHES_PER_RULE = 20;

/** What findRaw reuses for one pack: hit sinks, per-rule counters, the rules with patterns. */
interface Scratch {
  sink: HitSink;
  /** The automaton's DFA run during normalization (undefined when it has no full DFA). */
  scan: UnitScan | undefined;
  symbolSink: HitSink;
  perRule: Int32Array;
  /** Per rule: the last hit kept (index into the hits), chained through `keptPrev`. */
  lastKept: Int32Array;
  keptPrev: Int32Array;
  hits: RawHits;
  regexRules: number[];
  enabled: Uint8Array;
}

const scratchOf = new WeakMap<RulePack, Scratch>();

/** The last pack scored and its scratch (most callers score with one pack). */
let lastPack: RulePack | undefined;
let lastScratch: Scratch | undefined;

function scratchFor(pack: RulePack): Scratch {
  if (pack === lastPack) return lastScratch!;
  let s = scratchOf.get(pack);
  if (!s) {
    const n = pack.rules.length;
    s = {
      sink: hitSink(pack.gateCount),
      scan: unitScan(pack.automaton),
      symbolSink: hitSink(0),
      perRule: new Int32Array(n),
      lastKept: new Int32Array(n),
      keptPrev: new Int32Array(64),
      hits: { rule: new Int32Array(64), start: new Int32Array(64), end: new Int32Array(64), count: 0 },
      regexRules: pack.rules.flatMap((r, i) => (r.regexes.length ? [i] : [])),
      enabled: Uint8Array.from(pack.rules, (r) => (r.enabled === false ? 0 : 1)),
    };
    scratchOf.set(pack, s);
  }
  lastPack = pack;
  lastScratch = s;
  return s;
}

/** Every hit in `original` (disabled rules too when `includeDisabled`), sorted by position. */
export function findRaw(pack: RulePack, original: string, includeDisabled = false): RawHits {
  const st = scratchFor(pack);
  const b = normalizeScratch(original, st.scan);
  const { codes, map, len } = b;
  const { perRule, lastKept, enabled } = st;
  perRule.fill(0);
  lastKept.fill(-1);
  st.hits.count = 0;
  if (b.high >= pack.symbols.minFirst) {
    const sink = st.symbolSink;
    sink.count = 0;
    scanUnits(pack.symbols, b.source, original.length, sink);
    const { hits } = sink;
    for (let k = 0; k < sink.count * 3; k += 3) {
      const rule = pack.symbolRule[hits[k]!]!;
      if (includeDisabled || enabled[rule]) keep(st, rule, hits[k + 1]!, hits[k + 2]!);
    }
  }
  const sink = st.sink;
  sink.count = 0;
  const gated = sink.flags;
  gated.fill(0);
  if (st.scan) scanEvents(pack.automaton, st.scan, codes, len, sink);
  else scanUnits(pack.automaton, codes, len, sink);
  const { hits } = sink;
  for (let k = 0; k < sink.count * 3; k += 3) {
    const rule = pack.literalRule[hits[k]!]!;
    if (includeDisabled || enabled[rule]) keep(st, rule, map[hits[k + 1]!]!, map[hits[k + 2]!]!);
  }
  let norm: string | undefined;
  for (const index of st.regexRules) {
    const rule = pack.rules[index]!;
    if (!includeDisabled && !enabled[index]) continue;
    if (rule.atoms?.length && !gated[index]) continue;
    const valid = rule.validate ? VALIDATORS[rule.validate] : undefined;
    const gates = pack.patternGates[index]!;
    const minWord = pack.patternMinWord[index]!;
    const minDigit = pack.patternMinDigits[index]!;
    const leads = pack.patternLeads[index]!;
    for (let p = 0; p < rule.regexes.length; p++) {
      // a pattern runs only when a literal of each of its required sets occurred and the text has
      // a word as long and as many digits as the pattern needs
      if (b.maxWord < minWord[p]! || b.digits < minDigit[p]! || !allSet(gated, gates[p]!)) continue;
      const re = rule.regexes[p]!;
      norm ??= unitsToString(codes, len);
      const lead = leads[p];
      if (lead) {
        matchAtLeads(st, index, lead, norm, map, original, valid);
        continue;
      }
      re.lastIndex = 0;
      for (let m = re.exec(norm); m !== null; m = re.exec(norm)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const start = map[m.index]!;
        const end = map[m.index + m[0].length]!;
        if (!valid || valid(original.slice(start, end))) keep(st, index, start, end);
      }
    }
  }
  sortBySpan(st.hits);
  return st.hits;
}

/**
 * The matches of a pattern found as its global scan finds them, trying the sticky pattern only
 * at the starts that can hold its lead literal: within `maxOffset` units before an occurrence of
 * it. No match starts elsewhere, and starts are tried in order, so the first that matches is the
 * leftmost; like the scan (flag `u`), no start falls inside a surrogate pair.
 */
function matchAtLeads(
  st: Scratch,
  rule: number,
  lead: { text: string; maxOffset: number; sticky: RegExp },
  norm: string,
  map: Int32Array,
  original: string,
  valid: ((s: string) => boolean) | undefined,
): void {
  const { text, maxOffset, sticky } = lead;
  let from = 0;
  for (;;) {
    const q = norm.indexOf(text, from);
    if (q < 0) return;
    let m: RegExpExecArray | null = null;
    for (let s = Math.max(from, q - maxOffset); s <= q && m === null; s++) {
      if (s > 0 && (norm.charCodeAt(s) & 0xfc00) === 0xdc00 && (norm.charCodeAt(s - 1) & 0xfc00) === 0xd800)
        continue;
      sticky.lastIndex = s;
      m = sticky.exec(norm);
    }
    if (m === null) {
      from = q + 1;
      continue;
    }
    // a lead literal is never empty, so neither is a match
    const start = map[m.index]!;
    const end = map[m.index + m[0].length]!;
    if (!valid || valid(original.slice(start, end))) keep(st, rule, start, end);
    from = m.index + m[0].length;
  }
}

/** Sorts hits by start, then end, keeping the order of equal spans. */
function sortBySpan(h: RawHits): void {
  const { rule, start, end, count } = h;
  if (count <= 64) {
    // insertion sort: few hits, mostly in order already
    for (let i = 1; i < count; i++) {
      const r = rule[i]!;
      const s = start[i]!;
      const e = end[i]!;
      let j = i - 1;
      while (j >= 0 && (start[j]! > s || (start[j] === s && end[j]! > e))) {
        rule[j + 1] = rule[j]!;
        start[j + 1] = start[j]!;
        end[j + 1] = end[j]!;
        j--;
      }
      rule[j + 1] = r;
      start[j + 1] = s;
      end[j + 1] = e;
    }
    return;
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => start[a]! - start[b]! || end[a]! - end[b]! || a - b);
  const r0 = rule.slice(0, count);
  const s0 = start.slice(0, count);
  const e0 = end.slice(0, count);
  order.forEach((from, to) => {
    rule[to] = r0[from]!;
    start[to] = s0[from]!;
    end[to] = e0[from]!;
  });
}

/** Keeps a hit unless its rule already has it or has reached its cap. */
function keep(st: Scratch, rule: number, start: number, end: number): void {
  const { perRule, lastKept } = st;
  if (perRule[rule]! >= MAX_MATCHES_PER_RULE) return;
  let h = st.hits;
  for (let k = lastKept[rule]!; k >= 0; k = st.keptPrev[k]!) {
    if (h.start[k] === start && h.end[k] === end) return;
  }
  const at = h.count;
  if (at === h.rule.length) {
    const grow = (a: Int32Array) => {
      const g = new Int32Array(a.length * 2);
      g.set(a);
      return g;
    };
    h = st.hits = { rule: grow(h.rule), start: grow(h.start), end: grow(h.end), count: at };
    st.keptPrev = grow(st.keptPrev);
  }
  st.keptPrev[at] = lastKept[rule]!;
  lastKept[rule] = at;
  perRule[rule]!++;
  h.rule[at] = rule;
  h.start[at] = start;
  h.end[at] = end;
  h.count = at + 1;
}

function allSet(flags: Uint8Array, gates: number[]): boolean {
  for (const g of gates) if (flags[g] === 0) return false;
  return true;
}

/** Raw hits as Matches (rule id, category, original text). */
export function dress(pack: RulePack, original: string, raw: RawHits): Match[] {
  const out: Match[] = [];
  for (let k = 0; k < raw.count; k++) {
    const r = pack.rules[raw.rule[k]!]!;
    const start = raw.start[k]!;
    const end = raw.end[k]!;
    out.push({ rule: r.id, category: r.category, start, end, text: original.slice(start, end) });
  }
  return out;
}

/** Every match of the pack's rules in `original` (disabled rules too when `includeDisabled`). */
export function findMatches(pack: RulePack, original: string, includeDisabled = false): Match[] {
  return dress(pack, original, findRaw(pack, original, includeDisabled));
}
