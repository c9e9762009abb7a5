import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findMatches } from '../../src/detect/find.ts';
import { loadRulePack } from '../../src/detect/load-rules.ts';
import { normalize, normalizeScratch } from '../../src/detect/normalize.ts';
import { perturb } from '../../src/detect/perturb.ts';
import { leadLiteral, minDigits, minWordRun, requiredLiterals } from '../../src/detect/regex-prefilter.ts';
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

describe('minWordRun', () => {
  it('reads the word a pattern needs, and nothing from what it does not model', () => {
    expect(minWordRun('\\b[13t][a-z1-9]{25,33}\\b')).toBe(26);
    expect(minWordRun('\\b0x[0-9a-f]{40}\\b')).toBe(42);
    expect(minWordRun('ab\\.cd')).toBe(2);
    expect(minWordRun('(?:\\.){2}')).toBe(0);
    expect(minWordRun('\\p{Letter}')).toBe(0);
    expect(minWordRun('abc|defgh')).toBe(0);
    expect(minWordRun('[a-z_]{30}')).toBe(0);
  });

  it('is sound on every shipped pattern: each match holds a word that long', () => {
    const longest = (s: string) => Math.max(0, ...(s.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.length));
    for (const rule of pack.rules)
      for (const pattern of rule.patterns ?? []) {
        const need = minWordRun(pattern);
        const re = new RegExp(pattern, 'gu');
        for (const text of samples)
          for (const m of normalize(text).text.matchAll(re))
            expect(longest(m[0])).toBeGreaterThanOrEqual(need);
      }
  });
});

describe('minDigits', () => {
  it('counts the digits every match must hold', () => {
    expect(minDigits('(?<![\\d-])\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}(?![\\d-])')).toBe(16);
    expect(minDigits('\\+998[ -]?\\d{2}')).toBe(5);
    expect(minDigits('[79]\\d{2,}x\\d?\\d*')).toBe(3);
    expect(minDigits('(?:\\d{4})\\d')).toBe(1);
    expect(minDigits('\\d{3}|x')).toBe(0);
    expect(minDigits('[0-9a]\\D')).toBe(0);
  });

  it('is sound on every shipped pattern: each match holds that many digits', () => {
    for (const rule of pack.rules)
      for (const pattern of rule.patterns ?? []) {
        const need = minDigits(pattern);
        const re = new RegExp(pattern, 'gu');
        for (const text of [...samples, '4400 4301 2345 6789', '+998 90 123 45 67'])
          for (const m of normalize(text).text.matchAll(re))
            expect((m[0].match(/[0-9]/g) ?? []).length).toBeGreaterThanOrEqual(need);
      }
  });

  it('is counted on the normalized text', () => {
    // с0ль and m3f read as letters, ¹ folds to 1, ٣ is no ASCII digit
    for (const text of ['с0ль 4400 4301, m3f ٣ ¹ 12', ...samples]) {
      const expected = (normalize(text).text.match(/[0-9]/g) ?? []).length;
      expect(normalizeScratch(text).digits).toBe(expected);
    }
    expect(normalizeScratch('с0ль 4400 4301, m3f ٣ ¹ 12').digits).toBe(11);
  });
});

describe('pattern gates', () => {
  it('never hide a match: the same matches with the gates off', () => {
    const ungated = {
      ...pack,
      patternGates: pack.patternGates.map((r) => r.map(() => [])),
      patternMinWord: pack.patternMinWord.map((r) => r.map(() => 0)),
      patternMinDigits: pack.patternMinDigits.map((r) => r.map(() => 0)),
      patternLeads: pack.patternLeads.map((r) => r.map(() => undefined)),
    };
    for (const text of samples)
      expect(findMatches(pack, text, true)).toEqual(findMatches(ungated, text, true));
  });
});

describe('leadLiteral', () => {
  it('finds a literal every match holds within a few units of its start', () => {
    expect(leadLiteral('@[a-z0-9_]{2,32}bot\\b')).toEqual({ text: '@', maxOffset: 0 });
    expect(leadLiteral('t\\.me/[a-z0-9_]{2,32}bot\\b')).toEqual({ text: 't.me/', maxOffset: 0 });
    // a class may match a code point of two units
    expect(leadLiteral('(?:^|[\\s(:,])@[a-z]+')).toEqual({ text: '@', maxOffset: 2 });
    expect(leadLiteral('(?:t|telegram)\\.me/x')).toEqual({ text: '.me/x', maxOffset: 8 });
    expect(leadLiteral('(?<=a)b')).toEqual({ text: 'b', maxOffset: 0 });
    expect(leadLiteral('ab?c')).toEqual({ text: 'a', maxOffset: 0 });
  });

  it('gives nothing when the literal may be absent, far away, or the syntax is not modelled', () => {
    for (const pattern of ['a|b', 'a*b', '\\d+x', '[a-z]{16}\\.onion', '(a)\\1b', '\\p{L}a', 'x?'])
      expect(leadLiteral(pattern), pattern).toBeUndefined();
  });

  it('finds the same matches with leads as without, surrogate pairs and repeats included', () => {
    const noLeads = { ...pack, patternLeads: pack.patternLeads.map((r) => r.map(() => undefined)) };
    const odd = [
      '😀@best_shop_bot 𝒜@operator_kz @@@ab_bot @a @ab t.me/x_bot t.met.me/ab_bot',
      '(@handle_one,@handle_two:@three_bot\t@four_here telegram.me/joinchat/abcd t.me/+AbCd',
      '\ud800@lone_bot \udc00@lone2_bot 𠀀@cjk_here_bot bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    ];
    for (const text of [...samples, ...odd, ...odd.map((t) => perturb(t, 2))])
      expect(findMatches(pack, text, true)).toEqual(findMatches(noLeads, text, true));
  });
});
