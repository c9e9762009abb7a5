/** Small helpers shared by the extractors. */
import type { Cheerio } from 'cheerio';
import type { AnyNode } from 'domhandler';

/** The element's text with `<br>` and block ends as line breaks and runs of blanks folded. */
export function textWithBreaks(el: Cheerio<AnyNode>): string {
  const clone = el.clone();
  clone.find('br').replaceWith('\n');
  clone.find('p, div, li, h1, h2, h3, h4, tr').after('\n');
  return clone
    .text()
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Resolves `href` against `base`; only http(s) and tg: links are kept. */
export function absoluteUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href.trim(), base);
    if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'tg:') {
      u.hash = '';
      return u.href;
    }
  } catch {
    // not a URL: ignored
  }
  return undefined;
}
