import { describe, expect, it } from 'vitest';
import { e164, identifierOfLink, identifiersIn } from '../../src/shops/identifiers.ts';
import { linkShops } from '../../src/shops/link.ts';

describe('identifiers', () => {
  it('finds Telegram handles, bots, invites, onion hosts and domains, normalized', () => {
    const ids = identifiersIn(
      'Пиши @Almaty_Shop_Bot или t.me/+AbCd123 · зеркало http://abcdefghij234567.onion/x · сайт snezhok.kz',
      ['https://t.me/s/Mirror_One', 'https://www.google.com/search?q=x'],
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        { kind: 'telegram', value: 'almaty_shop_bot' },
        { kind: 'telegram', value: 'mirror_one' },
        { kind: 'invite', value: 'AbCd123' },
        { kind: 'onion', value: 'abcdefghij234567.onion' },
        { kind: 'domain', value: 'snezhok.kz' },
      ]),
    );
    expect(ids.some((i) => i.value.includes('google'))).toBe(false);
    expect(identifierOfLink('tg://resolve?domain=Night_Shop')).toEqual({
      kind: 'telegram',
      value: 'night_shop',
    });
  });

  it('keeps only crypto addresses whose checksums hold', () => {
    const valid = [
      ['btc', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
      ['btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
      ['tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
      ['eth', '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae'],
    ] as const;
    for (const [kind, value] of valid) expect(identifiersIn(`оплата ${value}`)).toEqual([{ kind, value }]);
    expect(identifiersIn('оплата 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toEqual([]); // one character changed
    expect(identifiersIn('оплата bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx')).toEqual([]);
  });

  it('normalizes phone numbers to E.164 for KZ, RU, UZ, KG and VN', () => {
    expect(e164('8 (701) 123-45-67')).toBe('+77011234567');
    expect(e164('+7 701 123 45 67')).toBe('+77011234567');
    expect(e164('+998 90 123 45 67')).toBe('+998901234567');
    expect(e164('+996 555 123 456')).toBe('+996555123456');
    expect(e164('0912 345 678')).toBe('+84912345678');
    expect(e164('2026 11 24 10')).toBeUndefined();
    expect(identifiersIn('звони 8 701 123 45 67')).toEqual([{ kind: 'phone', value: '+77011234567' }]);
  });
});

describe('linkShops', () => {
  const item = (listingId: number, sourceUrl: string, ...ids: string[]) => ({
    listingId,
    sourceUrl,
    identifiers: ids.map((s) => {
      const [kind, value] = s.split(':');
      return { kind: kind!, value: value!, where: 'text' };
    }),
  });

  it('joins mirrors, a bot, a QR-only channel and a wallet into one shop; keeps another shop apart', () => {
    const shops = linkShops([
      item(1, 'https://t.me/s/mirror_a', 'telegram:mirror_a', 'telegram:shop_bot'),
      item(2, 'https://t.me/s/mirror_b', 'telegram:mirror_b', 'telegram:shop_bot'),
      item(3, 'https://t.me/s/mirror_c', 'telegram:mirror_c', 'btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'),
      item(
        4,
        'https://t.me/s/mirror_b',
        'telegram:mirror_b',
        'btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
        'telegram:qr_only',
      ),
      item(5, 'https://t.me/s/qr_only', 'telegram:qr_only'),
      item(6, 'https://t.me/s/other', 'telegram:other', 'telegram:other_bot'),
    ]);
    expect(shops.map((s) => s.listingIds)).toEqual([[1, 2, 3, 4, 5], [6]]);
    const wallet = shops[0]!.evidence.find((e) => e.kind === 'btc')!;
    expect(wallet.seen.map((s) => s.listingId)).toEqual([3, 4]); // the join is explained
  });

  it('ignores identifiers seen in too many sources', () => {
    const items = Array.from({ length: 6 }, (_, i) =>
      item(i + 1, `https://t.me/s/ch${i}`, `telegram:ch${i}`, 'domain:popular.example'),
    );
    expect(linkShops(items, 5)).toHaveLength(6);
    expect(linkShops(items, 6)).toHaveLength(1);
  });
});

describe('the incremental linker', () => {
  const item = (listingId: number, source: string, ...ids: string[]) => ({
    listingId,
    sourceUrl: `https://t.me/s/${source}`,
    identifiers: ids.map((s) => ({ kind: 'telegram', value: s, where: 'text' })),
  });

  it('gives the same shops one listing at a time as all at once', async () => {
    const { createLinker } = await import('../../src/shops/link.ts');
    const items = [
      item(1, 'a', 'a', 'bot1'),
      item(2, 'b', 'b'),
      item(3, 'c', 'c', 'bot1'),
      item(4, 'b', 'b', 'bot2'),
      item(5, 'd', 'bot2'),
    ];
    const linker = createLinker();
    for (const i of items) linker.add(i);
    expect(linker.shops()).toEqual(linkShops(items));
    expect(linker.shops().map((s) => s.listingIds)).toEqual([
      [1, 3],
      [2, 4, 5],
    ]);
  });

  it('drops the links of an identifier once it turns out to be too common', async () => {
    const { createLinker } = await import('../../src/shops/link.ts');
    const linker = createLinker(2);
    linker.add(item(1, 'a', 'a', 'popular'));
    linker.add(item(2, 'b', 'b', 'popular'));
    expect(linker.shops().map((s) => s.listingIds)).toEqual([[1, 2]]);
    linker.add(item(3, 'c', 'c', 'popular')); // now in 3 sources: too common
    expect(linker.shops().map((s) => s.listingIds)).toEqual([[1], [2], [3]]);
  });
});
