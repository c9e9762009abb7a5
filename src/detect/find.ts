/**
 * Finding rule matches in a text: one automaton pass over the normalized text (terms and regex
 * atoms), one over the original for emoji terms, then the regexes whose atoms occurred. Offsets
 * are mapped back to the original text.
 */
import { VALIDATORS } from './crypto-address.ts';
import { scan } from './matcher.ts';
import { normalize } from './normalize.ts';
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

/** Every hit in `original` (disabled rules too when `includeDisabled`), sorted by position. */
export function findRaw(pack: RulePack, original: string, includeDisabled = false): RawMatch[] {
  const { text: norm, map } = normalize(original);
  const out: RawMatch[] = [];
  const perRule = new Int32Array(pack.rules.length);
  const seen = new Set<number>();
  const width = original.length + 1;
  const live = (i: number) => includeDisabled || pack.rules[i]!.enabled !== false;
  const push = (rule: number, start: number, end: number) => {
    if (perRule[rule]! >= MAX_MATCHES_PER_RULE) return;
    const key = (rule * width + start) * width + end;
    if (seen.has(key)) return;
    seen.add(key);
    perRule[rule]!++;
    out.push({ rule, start, end });
  };
  for (const hit of scan(pack.symbols, original)) {
    const rule = pack.symbolRule[hit.literal]!;
    if (live(rule)) push(rule, hit.start, hit.end);
  }
  let gated: Set<number> | undefined;
  for (const hit of scan(pack.automaton, norm)) {
    const rule = pack.literalRule[hit.literal]!;
    if (!live(rule)) continue;
    if (!pack.literalIsAtom[hit.literal]) push(rule, map[hit.start]!, map[hit.end]!);
    else {
      gated ??= new Set();
      gated.add(rule);
    }
  }
  for (const index of regexRules(pack)) {
    const rule = pack.rules[index]!;
    if (!live(index)) continue;
    if (rule.atoms?.length && !gated?.has(index)) continue;
    const valid = rule.validate ? VALIDATORS[rule.validate] : undefined;
    for (const re of rule.regexes) {
      re.lastIndex = 0;
      for (let m = re.exec(norm); m !== null; m = re.exec(norm)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const start = map[m.index]!;
        const end = map[m.index + m[0].length]!;
        if (!valid || valid(original.slice(start, end))) push(index, start, end);
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

const regexRuleCache = new WeakMap<RulePack, number[]>();

/** Indices of the pack's rules that have patterns (computed once per pack). */
function regexRules(pack: RulePack): number[] {
  let list = regexRuleCache.get(pack);
  if (!list) {
    list = pack.rules.flatMap((r, i) => (r.regexes.length ? [i] : []));
    regexRuleCache.set(pack, list);
  }
  return list;
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
