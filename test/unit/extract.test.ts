import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBody, extractPage } from '../../src/extract/extract-page.ts';
import { root } from '../helpers.ts';

const fixture = (path: string) => readFileSync(`${root}/fixtures/site/${path}`, 'utf8');

describe('Telegram channel previews', () => {
  const page = extractPage(fixture('telegram/almaty_shop.html'), 'http://127.0.0.1:1234/s/almaty_shop');

  it('is recognized by its structure, not its host', () => {
    expect(page.kind).toBe('telegram');
    expect(page.title).toBe('Алматы 24/7 🍁');
  });

  it('gives each post its canonical permalink, date, text with line breaks, links and photos', () => {
    expect(page.listings.map((l) => l.permalink)).toEqual([
      'https://t.me/almaty_shop/103',
      'https://t.me/almaty_shop/104',
      'https://t.me/almaty_shop/105',
      'https://t.me/almaty_shop/106',
    ]);
    const shop = page.listings[3]!;
    expect(shop.postedAt).toBe('2026-11-23T21:05:00+00:00');
    expect(shop.text.split('\n')[1]).toBe('1г — 15000₸ · 2г — 28000₸');
    expect(shop.links).toEqual(['https://t.me/almaty_shop_bot']);
    expect(shop.imageUrls).toEqual(['http://127.0.0.1:1234/img/street.jpg']);
  });

  it('follows the ?before= more-link to the older page', () => {
    expect(page.olderPage).toBe('http://127.0.0.1:1234/s/almaty_shop?before=103');
    const older = extractPage(fixture('telegram/almaty_shop.before-103.html'), page.olderPage!);
    expect(older.listings.map((l) => l.permalink)).toEqual([
      'https://t.me/almaty_shop/101',
      'https://t.me/almaty_shop/102',
    ]);
    expect(older.olderPage).toBeUndefined();
  });
});

describe('web pages', () => {
  it('gives one listing with the visible text, links and images, without scripts', () => {
    const page = extractPage(fixture('web/shop/index.html'), 'http://127.0.0.1:1234/shop/');
    expect(page.kind).toBe('web');
    const [l] = page.listings;
    expect(l!.permalink).toBe('http://127.0.0.1:1234/shop/');
    expect(l!.text).toContain('Кокаин (Перу)');
    expect(l!.text).not.toContain('DOMContentLoaded');
    expect(l!.links).toEqual(['https://t.me/almaty_shop']);
    expect(l!.imageUrls).toEqual(['http://127.0.0.1:1234/img/street.jpg']);
  });

  it('survives malformed HTML and ignores javascript: links', () => {
    const page = extractPage(
      '<p>меф <a href="javascript:alert(1)">x</a><div><b>закладки',
      'http://h.example/',
    );
    expect(page.listings[0]!.text).toContain('закладки');
    expect(page.listings[0]!.links).toEqual([]);
  });

  it('decodes windows-1251 and KOI8-R by header or meta charset', () => {
    const cp1251 = Buffer.from([0xec, 0xe5, 0xf4]); // "меф"
    expect(decodeBody(cp1251, 'text/html; charset=windows-1251')).toBe('меф');
    const koi8 = Buffer.concat([Buffer.from('<meta charset="koi8-r">'), Buffer.from([0xcd, 0xc5, 0xc6])]);
    expect(decodeBody(koi8)).toContain('меф');
  });
});
