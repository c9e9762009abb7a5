/** Parser for ordinary web pages: one listing per page, its visible text, links and images. */
import type { CheerioAPI } from 'cheerio';
import { absoluteUrl, textWithBreaks } from './html-text.ts';
import type { ExtractedPage } from './types.ts';

/** Extracts a page's title, visible text, links and images. */
export function extractWeb($: CheerioAPI, pageUrl: string): ExtractedPage {
  $('script, style, noscript, template, iframe, object, embed').remove();
  const title = $('title').first().text().trim() || undefined;
  const body = $('body').length ? $('body') : $.root();
  const text = [title, textWithBreaks(body)].filter(Boolean).join('\n');
  const pick = (sel: string, attr: string) => [
    ...new Set(
      $(sel)
        .toArray()
        .map((el) => absoluteUrl($(el).attr(attr), pageUrl))
        .filter((u): u is string => u !== undefined),
    ),
  ];
  return {
    kind: 'web',
    title,
    listings: [
      { permalink: pageUrl, text, links: pick('a[href]', 'href'), imageUrls: pick('img[src]', 'src') },
    ],
  };
}
