import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../../src/detect/load-rules.ts';
import { normalize } from '../../src/detect/normalize.ts';
import { scoreText } from '../../src/detect/score.ts';
import { root } from '../helpers.ts';

const pack = loadRulePack(`${root}/rules`);

describe('normalize', () => {
  it('folds case, ё, invisible characters and mixed-script look-alikes, keeping offsets', () => {
    const input = 'МЕ\u200bФЕДРОН и мeфёдрон';
    const n = normalize(input);
    expect(n.text).toBe('мефедрон и мефедрон');
    expect(n.map).toHaveLength(n.text.length + 1);
    const at = n.text.lastIndexOf('мефедрон');
    expect(input.slice(n.map[at], n.map[at + 'мефедрон'.length])).toBe('мeфёдрон');
  });
});

describe('scoreText', () => {
  it('flags a shop post with a substance and a delivery marker, with spans into the original text', () => {
    const text = '💎 Мефедрон 1г — 15000₸, закладки по городу, заказ @almaty_shop_bot';
    const r = scoreText(pack, text);
    expect(r).toMatchObject({ flagged: true, verdict: 'shop' });
    for (const m of r.matches) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(r.matches.map((m) => m.rule)).toContain('ru.delivery.dead-drop');
  });

  it('finds the words behind zero-width characters and Latin look-alikes', () => {
    const text = 'М\u200bефедрон, зaклaдки, пиши @x_shop_bot';
    const r = scoreText(pack, text);
    expect(r.verdict).toBe('shop');
    const drop = r.matches.find((m) => m.rule === 'ru.delivery.dead-drop')!;
    expect(text.slice(drop.start, drop.end)).toBe('зaклaдки');
  });

  it('flags courier recruitment as recruit', () => {
    const r = scoreText(pack, 'Требуются кладмены! Оплата за клад 5000₸, без опыта. Пиши @hr_shop');
    expect(r).toMatchObject({ flagged: true, verdict: 'recruit' });
  });

  it('needs corroboration: one substance word alone is not flagged', () => {
    expect(scoreText(pack, 'Мефедрон — синтетический стимулятор').flagged).toBe(false);
  });

  it('does not flag news about an anti-drug operation that uses the same words', () => {
    const news =
      'Полиция Алматы задержала закладчика: изъято 500 грамм мефедрона, расфасованного для закладок. Волонтёры закрасили надписи.';
    const r = scoreText(pack, news);
    expect(r.flagged).toBe(false);
    expect(r.verdict).toBe('none');
    expect(r.matches.some((m) => m.category === 'news')).toBe(true);
  });

  it('respects word boundaries (склад, вклад are not клад)', () => {
    const r = scoreText(pack, 'Мефедрон? Нет, у нас склад и вклад в банке');
    expect(r.matches.map((m) => m.rule)).not.toContain('ru.delivery.dead-drop');
  });

  it('scores odd input without crashing: empty, huge, lone surrogates, control characters', () => {
    expect(scoreText(pack, '').flagged).toBe(false);
    expect(scoreText(pack, '\ud800меф\udc00 \u0000\u0007закладки @a_shop_bot').verdict).toBe('shop');
    const huge = 'обычный текст '.repeat(800_000);
    expect(huge.length).toBeGreaterThan(10_000_000);
    expect(scoreText(pack, huge).flagged).toBe(false);
  });

  it('reads obfuscated shop posts: separators, digits as letters, translit, emoji between words', () => {
    for (const text of [
      'м.е.ф 1г — 9000₸, з а к л а д к и, пиши @x_bot',
      'с0ль крис 1г — 9000₸, кл@ды по городу @x_shop',
      'mefedron 1g — 9000 tg, zakladki po gorodu, @x_bot',
      'Hàng 🔥 đá loại 1, 500k/g, ship 💎 kín 24/24. IB tele @hn',
    ]) {
      expect(scoreText(pack, text), text).toMatchObject({ flagged: true, verdict: 'shop' });
    }
  });

  it('counts one word once even when rules of several languages match it', () => {
    const once = scoreText(pack, 'USDT');
    expect(new Set(once.matches.map((m) => m.rule)).size).toBeGreaterThan(1);
    expect(once.score).toBe(1);
  });

  it('does not match a term inside a Telegram handle', () => {
    const r = scoreText(pack, 'пишите @best_klad_bot');
    expect(r.matches.map((m) => m.rule)).not.toContain('ru.delivery.dead-drop');
  });

  it('lowers the bar for a weak post in a known shop channel, and only there', () => {
    const weak = 'Меф снова в наличии';
    expect(scoreText(pack, weak).flagged).toBe(false);
    expect(scoreText(pack, weak, { flagged: 1, total: 20 }).flagged).toBe(false);
    expect(scoreText(pack, weak, { flagged: 5, total: 20 })).toMatchObject({
      flagged: true,
      verdict: 'shop',
      byChannel: true,
    });
    // a channel's reputation does not flag posts without drug evidence
    expect(scoreText(pack, 'Отзывы клиентов читайте в чате', { flagged: 9, total: 9 }).flagged).toBe(false);
  });

  it('counts a crypto address only when its checksum holds', () => {
    const rules = (t: string) => scoreText(pack, t).matches.map((m) => m.rule);
    expect(rules('USDT TRC-20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toContain('xx.payment.crypto-address');
    expect(rules('USDT TRC-20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u')).not.toContain(
      'xx.payment.crypto-address',
    );
    expect(rules('btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toContain('xx.payment.crypto-address');
  });
});
