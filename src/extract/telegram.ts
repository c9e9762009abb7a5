/** Parser for Telegram channel preview pages (`t.me/s/NAME` markup), wherever they are served. */
import type { CheerioAPI } from 'cheerio';
import { absoluteUrl, textWithBreaks } from './html-text.ts';
import type { ExtractedPage } from './types.ts';

/** True when the document has the structure of a channel preview. */
export function isTelegramPreview($: CheerioAPI): boolean {
  return $('.tgme_widget_message[data-post]').length > 0 || $('.tgme_channel_info').length > 0;
}

/** Extracts the posts of a channel preview page; permalinks are canonical `https://t.me/...`. */
export function extractTelegram($: CheerioAPI, pageUrl: string): ExtractedPage {
  const listings = $('.tgme_widget_message[data-post]')
    .toArray()
    .map((el) => {
      const msg = $(el);
      const post = msg.attr('data-post') ?? '';
      const textEl = msg.find('.js-message_text').first();
      const links = textEl
        .find('a[href]')
        .toArray()
        .map((a) => absoluteUrl($(a).attr('href'), pageUrl))
        .filter((u): u is string => u !== undefined);
      const imageUrls = msg
        .find('.tgme_widget_message_photo_wrap, .tgme_widget_message_video_thumb')
        .toArray()
        .map((p) => backgroundImage($(p).attr('style'), pageUrl))
        .filter((u): u is string => u !== undefined);
      return {
        permalink: `https://t.me/${post}`,
        text: textEl.length ? textWithBreaks(textEl) : '',
        postedAt: msg.find('time[datetime]').first().attr('datetime'),
        links: [...new Set(links)],
        imageUrls: [...new Set(imageUrls)],
      };
    })
    .filter((l) => /^https:\/\/t\.me\/[A-Za-z0-9_]+\/\d+$/.test(l.permalink));
  const before = $('a.tme_messages_more[data-before]').first().attr('data-before');
  const olderPage = before && /^\d+$/.test(before) ? withBefore(pageUrl, before) : undefined;
  const title = $('.tgme_channel_info_header_title').first().text().trim() || undefined;
  return { kind: 'telegram', title, listings, olderPage };
}

function withBefore(pageUrl: string, before: string): string {
  const u = new URL(pageUrl);
  u.searchParams.set('before', before);
  return u.href;
}

function backgroundImage(style: string | undefined, base: string): string | undefined {
  const m = /background-image\s*:\s*url\(\s*['"]?([^'")]+)['"]?\s*\)/i.exec(style ?? '');
  return m ? absoluteUrl(m[1], base) : undefined;
}
