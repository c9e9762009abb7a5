import { describe, expect, it } from 'vitest';
import { normalize, normalizeScratch } from '../../src/detect/normalize.ts';

const norm = (s: string) => normalize(s).text;

describe('normalize', () => {
  it.each([
    ['с0ль м3ф', 'соль меф'],
    ['м.е.ф', 'меф'],
    ['с о л ь', 'соль'],
    ['m-e-f', 'mef'],
    ['мееееф', 'меф'],
    ['Đá hàng đá', 'da hang da'],
    ['Қазақ', 'казак'],
    ['oʻzbek gʻalla', 'ozbek galla'],
    ['сосаine', 'cocaine'],
    ['мeфедрон', 'мефедрон'],
    ['3акладка', 'закладка'],
    ['1г — 15000₸', '1г — 15000₸'],
    ['info@example.com', 'info@example.com'],
  ])('%s → %s', (input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it('keeps a map to original offsets through every pass', () => {
    const input = 'купи З А К Л А Д К У, ме\u200bф';
    const n = normalize(input);
    const at = n.text.indexOf('закладку');
    expect(input.slice(n.map[at], n.map[at + 'закладку'.length])).toBe('З А К Л А Д К У');
    expect(n.map).toHaveLength(n.text.length + 1);
  });

  it('survives lone surrogates and control characters', () => {
    expect(norm('\ud800x\udc00\u0000y')).toBe('x y');
  });

  it('skips the joining pass only where it has nothing to join', () => {
    // every string of up to 7 units over letters, digits, @, separators and other units
    const alphabet = ['a', 'б', '0', '5', '@', ' ', '.', '-', '..', '!', '😀', '\u200b'];
    const both = (text: string) => {
      const a = normalizeScratch(text);
      const gated = [Array.from(a.codes.subarray(0, a.len)), Array.from(a.map.subarray(0, a.len + 1))];
      const b = normalizeScratch(text, undefined, true);
      return [gated, [Array.from(b.codes.subarray(0, b.len)), Array.from(b.map.subarray(0, b.len + 1))]];
    };
    let joined = 0;
    const walk = (prefix: string, depth: number) => {
      const [gated, always] = both(prefix);
      expect(gated, JSON.stringify(prefix)).toEqual(always);
      if (normalize(prefix).text.length < prefix.replace(/\u200b/g, '').length - 1) joined++;
      if (depth > 0) for (const c of alphabet) walk(prefix + c, depth - 1);
    };
    walk('', 5);
    expect(joined).toBeGreaterThan(0);
  });
});
