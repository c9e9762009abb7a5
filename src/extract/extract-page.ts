/** Chooses a parser by the page's structure, not its host, so mirrors and saved pages parse too. */
import * as cheerio from 'cheerio';
import { extractTelegram, isTelegramLandingPage, isTelegramPreview } from './telegram.ts';
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

/** Parses HTML fetched from `pageUrl` into listings. */
export function extractPage(html: string, pageUrl: string): ExtractedPage {
  const $ = cheerio.load(html);
  if (isTelegramPreview($)) return extractTelegram($, pageUrl);
  const noPreview = isTelegramLandingPage($);
  const page = extractWeb($, pageUrl);
  return noPreview ? { ...page, noPreview } : page;
}
