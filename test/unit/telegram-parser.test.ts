import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/extract-page.ts';
import { parseCount } from '../../src/extract/views.ts';
import { root } from '../helpers.ts';

const fixture = (path: string) => readFileSync(`${root}/fixtures/site/telegram/${path}`, 'utf8');
// served from a mirror host: the parser must not care
const page = extractPage(fixture('shym_market.html'), 'http://mirror.example:8080/s/shym_market');
const post = (id: number) => page.listings.find((l) => l.meta?.postId === id)!;

describe('views and counters', () => {
  it('expands K/M suffixes, decimal commas and thin spaces', () => {
    expect(parseCount('870')).toBe(870);
    expect(parseCount('1.2K')).toBe(1200);
    expect(parseCount('12.5K')).toBe(12500);
    expect(parseCount('3.4M')).toBe(3_400_000);
    expect(parseCount('1,1K')).toBe(1100);
    expect(parseCount('1 204')).toBe(1204);
    expect(parseCount('')).toBeUndefined();
    expect(parseCount('many')).toBeUndefined();
  });
});

describe('a channel preview, whole markup', () => {
  it('reads the channel header: title, username, description and counters', () => {
    expect(page.kind).toBe('telegram');
    expect(page.channel).toEqual({
      title: 'Маркет 🌵 Шымкент',
      username: 'shym_market',
      description: 'Витрина.\nОператор: @shym_operator',
      counters: { subscribers: 15300, photos: 412, videos: 37, links: 1200 },
    });
  });

  it('lists every post id, album items included, for deletion checks', () => {
    expect(page.postIds).toEqual([200, 201, 202, 203, 204, 205, 206, 207, 208]);
    expect(page.olderPage).toBe('http://mirror.example:8080/s/shym_market?before=200');
  });

  it('marks service and unsupported-media messages', () => {
    expect(post(200).meta).toMatchObject({ kind: 'service', views: undefined });
    expect(post(200).text).toBe('Channel photo updated');
    expect(post(207).meta!.kind).toBe('unsupported');
    expect(post(207).text).toBe('');
    expect(post(204).meta!.kind).toBe('text');
  });

  it('gives album items their own ids, photos and video thumbnails', () => {
    const album = post(201);
    expect(album.meta!.media).toEqual([
      { kind: 'photo', id: 201, imageUrl: 'http://mirror.example:8080/img/street.jpg' },
      { kind: 'photo', id: 202, imageUrl: 'http://mirror.example:8080/img/wall-qr.jpg' },
      { kind: 'video', id: 203, imageUrl: 'http://mirror.example:8080/img/thumb-203.jpg' },
    ]);
    expect(album.imageUrls).toHaveLength(3);
    expect(album.meta!.views).toBe(3_400_000);
    expect(post(208).meta!.media).toEqual([
      { kind: 'video', id: undefined, imageUrl: 'http://mirror.example:8080/img/thumb-208.jpg' },
    ]);
    expect(post(208).meta!.views).toBe(1100);
  });

  it('turns emoji images into their characters, from the markup or the image name', () => {
    expect(post(201).text).toBe('Новое поступление 🔥 фото с точек');
    expect(post(205).text).toBe('Цены в боте 👉 @shym_market_bot, зеркало onion🌵');
  });

  it('reads forwards with their source channel and replies with the replied post id', () => {
    expect(post(204).meta!.forwardedFrom).toEqual({
      name: 'Отзывы Шымкент',
      url: 'https://t.me/shym_reviews/88',
    });
    expect(post(205).meta!.replyTo).toEqual({ url: 'https://t.me/shym_market/201', postId: 201 });
    // the quoted reply text is not the post's text
    expect(post(205).text).not.toContain('Новое поступление');
    expect(post(205).meta!.edited).toBe(true);
    expect(post(205).links).toEqual([
      'https://t.me/shym_market_bot',
      'http://shymmarketxyzabcdefghijklmnopqrstuvwxyz234567abcd.onion/',
    ]);
  });

  it('reads link previews: url, site, title, description and image', () => {
    const p = post(206);
    expect(p.meta!.linkPreview).toEqual({
      url: 'https://shym-market.example/catalog',
      siteName: 'Shym Market',
      title: 'Каталог',
      description: 'Доставка по городу, оплата криптой',
    });
    expect(p.text).toBe('Наш сайт: shym-market.example');
    expect(p.links).toEqual(['https://shym-market.example/catalog']);
    expect(p.imageUrls).toEqual(['https://cdn.example/preview-206.jpg']);
  });

  it('takes the date from the post footer', () => {
    expect(post(204).postedAt).toBe('2026-12-01T11:00:00+00:00');
    expect(post(201).permalink).toBe('https://t.me/shym_market/201');
  });
});

describe('structure, not host', () => {
  it('parses a saved page with no channel header and a bare message', () => {
    const saved = extractPage(
      '<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="x_chan/5"><div class="tgme_widget_message_text js-message_text">hi</div></div></div>',
      'file:///home/me/saved.html',
    );
    expect(saved.kind).toBe('telegram');
    expect(saved.listings.map((l) => [l.permalink, l.text])).toEqual([['https://t.me/x_chan/5', 'hi']]);
  });

  it('ignores messages whose data-post is not NAME/ID', () => {
    const bad = extractPage(
      '<div class="tgme_widget_message" data-post="../../etc/1"></div><div class="tgme_widget_message" data-post="ok_chan/x"></div>',
      'http://h.example/',
    );
    expect(bad.listings).toEqual([]);
  });

  it('recognizes the landing page of a channel that has no preview', () => {
    const landing = extractPage(fixture('closed_shop.landing.html'), 'https://t.me/closed_shop');
    expect(landing.kind).toBe('web');
    expect(landing.noPreview).toBe(true);
  });

  it('survives truncated markup', () => {
    const cut = fixture('shym_market.html').slice(0, 6000);
    expect(() => extractPage(cut, 'http://h.example/s/shym_market')).not.toThrow();
  });
});
