/** One canonical form per URL, for de-duplication. */
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/fetch/canonical-url.ts';

describe('canonicalUrl', () => {
  it.each([
    ['HTTP://Shop.EXAMPLE.com:80/Path?b=2&a=1#top', 'http://shop.example.com/Path?a=1&b=2'],
    ['https://shop.example.com:443/', 'https://shop.example.com/'],
    ['https://shop.example.com:8443/x', 'https://shop.example.com:8443/x'],
    ['https://shop.example.com./x', 'https://shop.example.com/x'],
    [
      'https://shop.example.com/p?utm_source=tg&utm_medium=post&id=5&fbclid=abc&gclid=1&yclid=2',
      'https://shop.example.com/p?id=5',
    ],
    ['https://shop.example.com/p?utm_campaign=x', 'https://shop.example.com/p'],
    ['http://t.me/Almaty_Shop?utm_source=x', 'https://t.me/s/almaty_shop'],
    ['https://telegram.me/s/Almaty_Shop/', 'https://t.me/s/almaty_shop'],
    ['https://www.t.me/almaty_shop/123#c', 'https://t.me/s/almaty_shop'],
    ['https://t.me/s/almaty_shop?before=100', 'https://t.me/s/almaty_shop?before=100'],
  ])('%s → %s', (raw, canonical) => {
    expect(canonicalUrl(raw)).toBe(canonical);
  });

  it('gives the same form to spellings of the same page', () => {
    const forms = [
      'https://EXAMPLE.com/a?x=1&y=2',
      'https://example.com:443/a?y=2&x=1#f',
      'https://example.com/a?x=1&utm_id=9&y=2',
    ];
    expect(new Set(forms.map(canonicalUrl)).size).toBe(1);
  });

  it('throws on something that is not a URL', () => {
    expect(() => canonicalUrl('not a url')).toThrow(TypeError);
  });
});
