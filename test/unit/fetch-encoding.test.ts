/** Encodings from the header, the page or its BOM; app shells detected; binary bodies named. */
import { describe, expect, it } from 'vitest';
import { decodeHtml, detectEncoding, sniffBinary } from '../../src/fetch/decode-body.ts';
import { looksEmptyWithoutJs, visibleTextLength } from '../../src/fetch/render-detect.ts';

// "Закладки в Алматы" in windows-1251 and KOI8-R.
const TEXT = 'Закладки в Алматы';
const cp1251 = Buffer.from('c7e0eaebe0e4eae820e220c0ebece0f2fb', 'hex');
const koi8 = Buffer.from('fac1cbccc1c4cbc920d720e1cccdc1d4d9', 'hex');
const page = (head: string, body: Buffer) =>
  Buffer.concat([
    Buffer.from(`<html><head>${head}</head><body><p>`),
    body,
    Buffer.from('</p></body></html>'),
  ]);

describe('decodeHtml', () => {
  it('uses the Content-Type charset', () => {
    expect(decodeHtml(page('', cp1251), 'text/html; charset=windows-1251')).toContain(TEXT);
    expect(decodeHtml(page('', koi8), 'text/html;charset="KOI8-R"')).toContain(TEXT);
  });

  it('falls back to <meta charset> and <meta http-equiv>', () => {
    expect(decodeHtml(page('<meta charset="windows-1251">', cp1251))).toContain(TEXT);
    expect(
      decodeHtml(
        page('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', koi8),
        'text/html',
      ),
    ).toContain(TEXT);
  });

  it('ignores an unknown label and reads a BOM, else UTF-8', () => {
    expect(detectEncoding(page('', koi8), 'text/html; charset=x-nonsense')).toBe('utf-8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<p>${TEXT}</p>`, 'utf16le')]);
    expect(decodeHtml(utf16, 'text/html')).toBe(`<p>${TEXT}</p>`);
    const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
    expect(decodeHtml(bom8, 'text/html; charset=windows-1251')).toBe(TEXT);
    expect(decodeHtml(Buffer.from(TEXT))).toBe(TEXT);
  });

  it('a page claiming UTF-16 in a meta tag is read as UTF-8', () => {
    expect(detectEncoding(Buffer.from('<meta charset="utf-16"><p>hi'))).toBe('utf-8');
  });
});

describe('sniffBinary', () => {
  it('names images, archives and NUL-laden bodies, and passes text whatever its type', () => {
    expect(sniffBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]))).toBe('image/png');
    expect(sniffBinary(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffBinary(Buffer.from([1, 2, 0, 4]))).toBe('application/octet-stream');
    expect(sniffBinary(Buffer.from('<p>hello'))).toBeUndefined();
    expect(
      sniffBinary(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>', 'utf16le')])),
    ).toBeUndefined();
  });
});

describe('looksEmptyWithoutJs', () => {
  it('spots an app shell', () => {
    expect(
      looksEmptyWithoutJs('<html><body><div id="root"></div><script src="/app.js"></script></body></html>'),
    ).toBe(true);
    expect(
      looksEmptyWithoutJs(
        '<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="__next"></div><script>x()</script>',
      ),
    ).toBe(true);
  });

  it('leaves pages with text alone, with or without scripts', () => {
    const article = `<body><script>track()</script><article>${'Текст статьи. '.repeat(30)}</article></body>`;
    expect(looksEmptyWithoutJs(article)).toBe(false);
    expect(looksEmptyWithoutJs('<body><p>short, no script</p></body>')).toBe(false);
  });

  it('counts visible text only, linearly, on hostile markup', () => {
    expect(
      visibleTextLength('<style>p{}</style><!-- hidden --><p>ab c</p><script>var x="<p>zzz"</script>'),
    ).toBe(3);
    const hostile = '<script'.repeat(200_000);
    const t = Date.now();
    expect(visibleTextLength(hostile)).toBe(0);
    expect(looksEmptyWithoutJs(`<div id="app">${'<div'.repeat(100_000)}<script>`)).toBe(true);
    expect(Date.now() - t).toBeLessThan(1_000);
  });
});
