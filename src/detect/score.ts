/**
 * Scores a text against a rule pack: finds its matches (find.ts), counts each piece of evidence
 * once, and decides a verdict by the pack's counting conditions, with negative context subtracted
 * from the score. A post in a known shop channel is held to the pack's lower channel bar.
 */
import { dress, findRaw, type Match, type RawHits } from './find.ts';
import { type Condition, NEGATIVE_CATEGORIES, type RulePack, type VerdictConditions } from './rule-types.ts';

export { findMatches, type Match } from './find.ts';

/** The scorer's answer for one text. */
export interface ScoreResult {
  flagged: boolean;
  verdict: 'shop' | 'recruit' | 'none';
  score: number;
  matches: Match[];
  /** True when the post was flagged only because its channel is a known shop channel. */
  byChannel?: boolean;
}

/** A source's recent history: how many of its last scored posts were flagged. */
export interface ChannelHistory {
  flagged: number;
  total: number;
}

/** Longest text scanned; the rest is ignored (and a huge post is suspicious anyway). */
export const MAX_SCORED_CHARS = 200_000;
const NEGATIVE = new Set<string>(NEGATIVE_CATEGORIES);

/** Scores `text`; never throws on odd input (empty, huge, lone surrogates, control characters). */
export function scoreText(pack: RulePack, text: string, channel?: ChannelHistory): ScoreResult {
  const original = text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text;
  const raw = findRaw(pack, original);
  const c = compiledFor(pack);
  const { rulesHit, weightOf, catOf } = c;
  rulesHit.fill(0);
  weightOf.fill(0);
  let positive = 0;
  let negative = 0;
  const counted = countedRules(c, raw);
  for (let k = 0; k < counted.count; k++) {
    const index = counted.rules[k]!;
    const { weight } = pack.rules[index]!;
    const cat = catOf[index]!;
    rulesHit[cat]!++;
    weightOf[cat] = weightOf[cat]! + weight;
    if (c.negative[cat]) negative += Math.abs(weight);
    else positive += weight;
  }
  const score = Math.round((positive - negative) * 100) / 100;
  const matches = dress(pack, original, raw);
  const verdict = verdictOf(c, c.verdicts);
  if (verdict !== 'none' && score >= pack.threshold) return { flagged: true, verdict, score, matches };
  if (channel && isShopChannel(pack, channel)) {
    const v = verdictOf(c, c.channelVerdicts);
    if (v !== 'none' && score >= pack.channel.threshold)
      return { flagged: true, verdict: v, score, matches, byChannel: true };
  }
  return { flagged: false, verdict: 'none', score, matches };
}

/** The verdict the counts of this text support under `verdicts` (recruit when its weight is the larger). */
function verdictOf(c: Compiled, verdicts: IndexedVerdicts): ScoreResult['verdict'] {
  const shop = anyHolds(verdicts.shop, c.rulesHit);
  if (anyHolds(verdicts.recruit, c.rulesHit)) {
    if (!shop || weightIn(c, 'recruitment') >= weightIn(c, 'substance')) return 'recruit';
  }
  return shop ? 'shop' : 'none';
}

function weightIn(c: Compiled, category: string): number {
  const cat = c.index.get(category);
  return cat === undefined ? 0 : c.weightOf[cat]!;
}

function anyHolds(conditions: IndexedCondition[], rulesHit: Int32Array): boolean {
  for (const cond of conditions) if (holdsIndexed(cond, rulesHit)) return true;
  return false;
}

/** A condition with its categories as indices (-1: a category no rule has, never hit). */
type IndexedCondition = { kind: 'count' | 'of'; min: number; categories: number[] }[];
interface IndexedVerdicts {
  shop: IndexedCondition[];
  recruit: IndexedCondition[];
}

/** What scoring needs of a pack, by category index, computed once per pack. */
interface Compiled {
  index: Map<string, number>;
  /** Category index and weight of each rule. */
  catOf: Int32Array;
  weight: Float64Array;
  negative: Uint8Array;
  verdicts: IndexedVerdicts;
  channelVerdicts: IndexedVerdicts;
  /** Per category: rules counted, their summed weight (scratch, reset per text). */
  rulesHit: Int32Array;
  weightOf: Float64Array;
  /** Per rule: already counted in this text (scratch). */
  counted: Uint8Array;
  /** The rules counted in this text, in order (scratch). */
  countedList: { rules: Int32Array; count: number };
}

const compiledOf = new WeakMap<RulePack, Compiled>();

/** The last pack scored and what scoring needs of it (most callers score with one pack). */
let lastPack: RulePack | undefined;
let lastCompiled: Compiled | undefined;

function compiledFor(pack: RulePack): Compiled {
  if (pack === lastPack) return lastCompiled!;
  let c = compiledOf.get(pack);
  if (c) {
    lastPack = pack;
    lastCompiled = c;
    return c;
  }
  const index = new Map<string, number>();
  const catOf = Int32Array.from(pack.rules, (r) => {
    let i = index.get(r.category);
    if (i === undefined) {
      i = index.size;
      index.set(r.category, i);
    }
    return i;
  });
  const negative = new Uint8Array(index.size);
  for (const [cat, i] of index) if (NEGATIVE.has(cat)) negative[i] = 1;
  const indexed = (v: VerdictConditions): IndexedVerdicts => {
    const one = (cond: Condition): IndexedCondition =>
      cond.clauses.map((cl) => ({
        kind: cl.kind,
        min: cl.min,
        categories: cl.categories.map((cat) => index.get(cat) ?? -1),
      }));
    return { shop: v.shop.map(one), recruit: v.recruit.map(one) };
  };
  c = {
    index,
    catOf,
    weight: Float64Array.from(pack.rules, (r) => r.weight),
    negative,
    verdicts: indexed(pack.verdicts),
    channelVerdicts: indexed(pack.channel.verdicts),
    rulesHit: new Int32Array(index.size),
    weightOf: new Float64Array(index.size),
    counted: new Uint8Array(pack.rules.length),
    countedList: { rules: new Int32Array(pack.rules.length), count: 0 },
  };
  compiledOf.set(pack, c);
  lastPack = pack;
  lastCompiled = c;
  return c;
}

/** `holds` (conditions.ts) over per-category counts by index. */
function holdsIndexed(condition: IndexedCondition, rulesHit: Int32Array): boolean {
  for (const clause of condition) {
    let n = 0;
    for (const cat of clause.categories) {
      const hit = cat < 0 ? 0 : rulesHit[cat]!;
      n += clause.kind === 'count' ? hit : hit > 0 ? 1 : 0;
    }
    if (n < clause.min) return false;
  }
  return true;
}

/**
 * The rules whose evidence counts, in order of their first span: where rules of one category match
 * the very same span (usdt in the ru, en and vi payment rules), only the heaviest counts, so one
 * word is one piece of evidence. `raw` is sorted by span, so equal spans sit together.
 */
function countedRules(c: Compiled, raw: RawHits): { rules: Int32Array; count: number } {
  const { catOf, counted, weight, countedList } = c;
  const rules = countedList.rules;
  const hit = raw.rule;
  const n = raw.count;
  let count = 0;
  for (let g = 0; g < n; ) {
    const start = raw.start[g]!;
    const end = raw.end[g]!;
    let e = g + 1;
    while (e < n && raw.start[e] === start && raw.end[e] === end) e++;
    // per category, in order of first appearance in the group: its heaviest rule (the first on ties)
    for (let k = g; k < e; k++) {
      const cat = catOf[hit[k]!]!;
      let first = true;
      for (let x = g; x < k; x++) if (catOf[hit[x]!] === cat) first = false;
      if (!first) continue;
      let best = hit[k]!;
      for (let x = k + 1; x < e; x++) {
        const r = hit[x]!;
        if (catOf[r] === cat && weight[r]! > weight[best]!) best = r;
      }
      if (!counted[best]) {
        counted[best] = 1;
        rules[count++] = best;
      }
    }
    g = e;
  }
  for (let k = 0; k < count; k++) counted[rules[k]!] = 0;
  countedList.count = count;
  return countedList;
}

/** True when a source's recent posts keep hitting: a known shop channel under the pack's policy. */
export function isShopChannel(pack: RulePack, channel: ChannelHistory): boolean {
  return channel.flagged >= pack.channel.minFlagged;
}
