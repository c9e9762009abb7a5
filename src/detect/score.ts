/**
 * Scores a text against a rule pack: finds its matches (find.ts), counts each piece of evidence
 * once, and decides a verdict by the pack's counting conditions, with negative context subtracted
 * from the score. A post in a known shop channel is held to the pack's lower channel bar.
 */
import { holds } from './conditions.ts';
import { dress, findRaw, type Match, type RawMatch } from './find.ts';
import { NEGATIVE_CATEGORIES, type RulePack, type VerdictConditions } from './rule-types.ts';

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
  const rulesHit = new Map<string, number>();
  const weightOf = new Map<string, number>();
  let positive = 0;
  let negative = 0;
  for (const index of countedRules(pack, raw, original.length)) {
    const { weight, category } = pack.rules[index]!;
    rulesHit.set(category, (rulesHit.get(category) ?? 0) + 1);
    weightOf.set(category, (weightOf.get(category) ?? 0) + weight);
    if (NEGATIVE.has(category)) negative += Math.abs(weight);
    else positive += weight;
  }
  const score = Math.round((positive - negative) * 100) / 100;
  const decide = (verdicts: VerdictConditions): ScoreResult['verdict'] => {
    const shop = verdicts.shop.some((c) => holds(c, rulesHit));
    const recruit = verdicts.recruit.some((c) => holds(c, rulesHit));
    if (recruit && (!shop || (weightOf.get('recruitment') ?? 0) >= (weightOf.get('substance') ?? 0)))
      return 'recruit';
    return shop ? 'shop' : 'none';
  };
  const matches = dress(pack, original, raw);
  const verdict = decide(pack.verdicts);
  if (verdict !== 'none' && score >= pack.threshold) return { flagged: true, verdict, score, matches };
  if (channel && isShopChannel(pack, channel)) {
    const v = decide(pack.channel.verdicts);
    if (v !== 'none' && score >= pack.channel.threshold)
      return { flagged: true, verdict: v, score, matches, byChannel: true };
  }
  return { flagged: false, verdict: 'none', score, matches };
}

/**
 * The rules whose evidence counts: where rules of one category match the very same span (usdt in
 * the ru, en and vi payment rules), only the heaviest counts, so one word is one piece of evidence.
 */
function countedRules(pack: RulePack, raw: RawMatch[], length: number): Set<number> {
  const width = length + 1;
  const best = new Map<number, number>();
  for (const m of raw) {
    const rule = pack.rules[m.rule]!;
    const key = (categoryIndex(rule.category) * width + m.start) * width + m.end;
    const other = best.get(key);
    if (other === undefined || rule.weight > pack.rules[other]!.weight) best.set(key, m.rule);
  }
  return new Set(best.values());
}

const CATEGORY_INDEX = new Map<string, number>();
const categoryIndex = (c: string) => {
  let i = CATEGORY_INDEX.get(c);
  if (i === undefined) {
    i = CATEGORY_INDEX.size;
    CATEGORY_INDEX.set(c, i);
  }
  return i;
};

/** True when a source's recent posts keep hitting: a known shop channel under the pack's policy. */
export function isShopChannel(pack: RulePack, channel: ChannelHistory): boolean {
  return channel.flagged >= pack.channel.minFlagged;
}
