import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/detect/normalize.ts';

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
});
