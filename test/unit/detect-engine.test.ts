import { describe, expect, it } from 'vitest';
import { findMatches } from '../../src/detect/find.ts';
import { loadRulePack } from '../../src/detect/load-rules.ts';
import { buildAutomaton, hitSink, scanEvents, scanUnits, unitScan } from '../../src/detect/matcher.ts';
import { normalize, normalizeScratch } from '../../src/detect/normalize.ts';
import { scoreText } from '../../src/detect/score.ts';
import { root } from '../helpers.ts';

const pack = loadRulePack(`${root}/rules`);

describe('normalization buffers', () => {
  it('grows when characters expand (ﬁ → fi, ß → ss) and keeps the map monotone', () => {
    const input = 'ﬁß'.repeat(50_000);
    const n = normalize(input);
    expect(n.text).toBe('fiss'.repeat(50_000));
    expect(n.map[n.text.length]).toBe(input.length);
    let monotone = true;
    for (let i = 1; i < n.map.length; i++) if (n.map[i]! < n.map[i - 1]!) monotone = false;
    expect(monotone).toBe(true);
  });

  it('normalizes a text past the shared buffer in a buffer of its own', () => {
    const big = normalize('Меф, ЗАКЛАДКИ '.repeat(100_000));
    expect(big.text).toBe('меф, закладки '.repeat(100_000));
    expect(normalize('С0ЛЬ').text).toBe('соль');
  });

  it('returns results that later calls do not overwrite', () => {
    const a = normalize('соль меф');
    normalize('something else entirely, longer than the first text');
    expect(a.text).toBe('соль меф');
    expect(Array.from(a.map)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('scoring odd input', () => {
  it.each([
    ['only controls and invisibles', '\u0000\u0007\u200b\u00ad\t\n'.repeat(200_000)],
    ['only lone surrogates', '\ud800\udc00\udfff\udbff'.repeat(300_000).slice(1)],
    ['letters spelled apart, 10 MB', 'м . е . ф '.repeat(1_000_000)],
    ['one endless word', 'мееееф'.repeat(2_000_000)],
  ])('%s: scored, with matches inside the text', (_, text) => {
    const r = scoreText(pack, text);
    expect(['shop', 'recruit', 'none']).toContain(r.verdict);
    for (const m of r.matches) {
      expect(m.start).toBeGreaterThanOrEqual(0);
      expect(m.end).toBeLessThanOrEqual(text.length);
      expect(m.text).toBe(text.slice(m.start, m.end));
    }
  });
});

describe('the automaton', () => {
  it('finds the same hits with a full DFA, dense rows, or rows looked up through children', () => {
    const literals = ['меф', 'мефедрон', 'ефе', 'закладк', 'клад', 'ад'].map((text, payload) => ({
      text,
      wordStart: false,
      wordEnd: false,
      stem: false,
      payload,
    }));
    const text = 'мефедрон закладка клад ефедрин';
    const codes = Uint16Array.from(text, (c) => c.charCodeAt(0));
    const hits = (bytes: number, dfaBytes = 0) => {
      const sink = hitSink(0);
      const a = buildAutomaton(literals, bytes, dfaBytes);
      expect(a.table.length > 0).toBe(dfaBytes > 0);
      scanUnits(a, codes, codes.length, sink);
      return Array.from(sink.hits.subarray(0, sink.count * 3));
    };
    expect(hits(4)).toEqual(hits(1 << 20));
    expect(hits(4)).toEqual(hits(4, 1 << 20));
    expect(hits(4).length / 3).toBe(9);
  });

  it('finds during normalization what a scan of the normalized text finds', () => {
    const texts = [
      'мeфедрон и сосаine, с0ль, м3ф, 3акладка, мееееф, с@ль, KOKC в наличии 🔥 @best_klad_bot',
      'м.е.ф с о л ь m-e-f закладки t.me/shop_bot 1г — 5000₸ oʻ gʻ ЗАКЛАДК\u200bИ',
      'a'.repeat(3000),
      '',
    ];
    const a = pack.automaton;
    const scan = unitScan(a)!;
    for (const text of texts) {
      const fused = hitSink(pack.gateCount);
      const b = normalizeScratch(text, scan);
      scanEvents(a, scan, b.codes, b.len, fused);
      const plain = hitSink(pack.gateCount);
      scanUnits(a, b.codes, b.len, plain);
      expect(Array.from(fused.hits.subarray(0, fused.count * 3))).toEqual(
        Array.from(plain.hits.subarray(0, plain.count * 3)),
      );
      expect(Array.from(fused.flags)).toEqual(Array.from(plain.flags));
    }
  });

  it('matches emoji terms on the original text', () => {
    expect(findMatches(pack, 'в наличии 💎💎 и ❄️').some((m) => m.text.includes('💎'))).toBe(true);
  });
});
