import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findMatches } from '../../src/detect/find.ts';
import { loadRulePack } from '../../src/detect/load-rules.ts';
import { normalize } from '../../src/detect/normalize.ts';
import { perturb } from '../../src/detect/perturb.ts';
import { requiredLiterals } from '../../src/detect/regex-prefilter.ts';
import { root } from '../helpers.ts';

const pack = loadRulePack(`${root}/rules`);
const texts = readFileSync(`${root}/fixtures/listings/listings.jsonl`, 'utf8')
  .trim()
  .split('\n')
  .map((l) => (JSON.parse(l) as { text: string }).text);
const ruleTests = pack.rules.flatMap((r) => [...(r.tests?.match ?? []), ...(r.tests?.no_match ?? [])]);
const samples = [...texts, ...texts.map((t) => perturb(t, 1)), ...ruleTests];

describe('requiredLiterals', () => {
  it('finds literal sets every match contains', () => {
    expect(requiredLiterals('\\b0x[0-9a-f]{40}\\b')).toContainEqual(['0x']);
    expect(requiredLiterals('t\\.me/[a-z0-9_]{2,32}bot\\b')).toEqual([['t.me/'], ['bot']]);
    // adjacent fixed pieces combine: (?:\+7|8)[ -]?\(?[79] needs "87", "8 9", "+7(7"…
    const phone = requiredLiterals('(?<![\\d+])(?:\\+7|8)[ -]?\\(?[79]\\d{2}');
    expect(phone.find((s) => s.includes('89'))).toContain('+7 (9');
  });

  it('gives nothing for what it does not model, or for patterns that may match anywhere', () => {
    expect(requiredLiterals('(a)\\1')).toEqual([]);
    expect(requiredLiterals('a*|b')).toEqual([]);
    expect(requiredLiterals('[^x]+')).toEqual([]);
    expect(requiredLiterals('(?:foo)?bar|baz')).toEqual([['bar', 'baz']]);
  });

  it('is sound on every shipped pattern: each match holds a literal of each set', () => {
    let checked = 0;
    for (const rule of pack.rules)
      for (const pattern of rule.patterns ?? []) {
        const sets = requiredLiterals(pattern);
        const re = new RegExp(pattern, 'gu');
        for (const text of samples)
          for (const m of normalize(text).text.matchAll(re)) {
            for (const set of sets)
              expect(
                set.some((l) => m[0].includes(l)),
                `${pattern} on ${m[0]}`,
              ).toBe(true);
            checked++;
          }
      }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('pattern gates', () => {
  it('never hide a match: the same matches with the gates off', () => {
    const ungated = { ...pack, patternGates: pack.patternGates.map((r) => r.map(() => [])) };
    for (const text of samples)
      expect(findMatches(pack, text, true)).toEqual(findMatches(ungated, text, true));
  });
});
