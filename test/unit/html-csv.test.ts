import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/export/report.ts';
import { escapeHtml, highlight, html } from '../../src/web/html.ts';

describe('HTML escaping', () => {
  it('escapes every interpolated value', () => {
    const hostile = `<script>alert(1)</script><img src=x onerror="alert(2)"> ' \``;
    const out = html`<p title="${hostile}">${hostile}</p>`.value;
    expect(out).not.toMatch(/<script|<img|onerror="/);
    expect(out).toContain('&#60;script&#62;');
    expect(escapeHtml(`"'&`)).toBe('&#34;&#39;&#38;');
  });

  it('highlights matches by original offsets and escapes around them', () => {
    const text = '<b>меф</b> закладки';
    const out = highlight(text, [{ start: 3, end: 6, rule: 'ru.substance."x"' }]).value;
    expect(out).toBe('&#60;b&#62;<mark title="ru.substance.&#34;x&#34;">меф</mark>&#60;/b&#62; закладки');
  });
});

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1', `"'+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['plain, text', '"plain, text"'],
    [null, '""'],
  ])('%s', (value, expected) => expect(csvCell(value)).toBe(expected));
});

describe('bidirectional overrides', () => {
  it('are shown as visible codes, not applied', () => {
    expect(escapeHtml('abc\u202eroдnaж\u202c')).toBe('abc[U+202E]roдnaж[U+202C]');
  });
});
