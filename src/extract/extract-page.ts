/** Chooses a parser by the page's structure, not its host, so mirrors and saved pages parse too. */
import * as cheerio from 'cheerio';
import { parseHtml } from './dom.ts';
import { extractTelegram, isTelegramLandingPage, isTelegramPreview, outlineOf } from './telegram.ts';
import type { ExtractedPage } from './types.ts';
import { extractWeb } from './web.ts';

/** Decodes a body using the charset from the Content-Type header or the page's meta tag. */
export function decodeBody(body: Uint8Array, contentType = ''): string {
  const fromHeader = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  const head = Buffer.from(body.subarray(0, 2048)).toString('latin1');
  const fromMeta = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
  for (const label of [fromHeader, fromMeta, 'utf-8']) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(body);
    } catch {
      // unknown label: try the next one
    }
  }
  return new TextDecoder().decode(body);
}

/**
 * Parses HTML fetched from `pageUrl` into listings. Channel previews are parsed with htmlparser2
 * and read in one walk (fast: most crawled pages are previews); other pages are parsed again with
 * cheerio's HTML5 parser (parse5), whose error recovery matches browsers on malformed markup.
 */
export function extractPage(html: string, pageUrl: string): ExtractedPage {
  const outline = outlineOf(parseHtml(html));
  if (isTelegramPreview(outline)) return extractTelegram(outline, pageUrl);
  const $ = cheerio.load(html);
  const noPreview = isTelegramLandingPage($);
  const page = extractWeb($, pageUrl);
  return noPreview ? { ...page, noPreview } : page;
}
