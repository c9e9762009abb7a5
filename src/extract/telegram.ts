/** Parser for Telegram channel preview pages (`t.me/s/NAME` markup), wherever they are served. */
import type { CheerioAPI } from 'cheerio';
import { parseChannelInfo } from './telegram-channel.ts';
import { parseMessage } from './telegram-message.ts';
import type { ExtractedListing, ExtractedPage } from './types.ts';

/** True when the document has the structure of a channel preview. */
export function isTelegramPreview($: CheerioAPI): boolean {
  return (
    $('.tgme_widget_message[data-post]').length > 0 ||
    $('.tgme_widget_message_wrap').length > 0 ||
    $('.tgme_channel_info').length > 0
  );
}

/** True for a channel's landing page (`t.me/NAME`), which t.me/s/NAME redirects to when there is no preview. */
export function isTelegramLandingPage($: CheerioAPI): boolean {
  return $('.tgme_page .tgme_page_title').length > 0 && !isTelegramPreview($);
}

/** Extracts the posts of a channel preview page; permalinks are canonical `https://t.me/...`. */
export function extractTelegram($: CheerioAPI, pageUrl: string): ExtractedPage {
  const listings = $('.tgme_widget_message[data-post]')
    .toArray()
    .map((el) => parseMessage($, el, pageUrl))
    .filter((l): l is ExtractedListing => l !== undefined);
  const ids = new Set<number>();
  for (const l of listings) {
    ids.add(l.meta!.postId);
    for (const m of l.meta!.media) if (m.id !== undefined) ids.add(m.id);
  }
  const before = $('a.tme_messages_more[data-before]').first().attr('data-before');
  const olderPage = before && /^\d+$/.test(before) ? withBefore(pageUrl, before) : undefined;
  const channel = parseChannelInfo($);
  return {
    kind: 'telegram',
    title: channel?.title,
    listings,
    olderPage,
    channel,
    postIds: [...ids].sort((a, b) => a - b),
  };
}

function withBefore(pageUrl: string, before: string): string {
  const u = new URL(pageUrl);
  u.searchParams.set('before', before);
  return u.href;
}
