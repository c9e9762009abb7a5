/** Parser for Telegram channel preview pages (`t.me/s/NAME` markup), wherever they are served. */
import type { CheerioAPI } from 'cheerio';
import type { Document, Element } from 'domhandler';
import { descendants, hasClass } from './dom.ts';
import { parseChannelInfo } from './telegram-channel.ts';
import { parseMessage } from './telegram-message.ts';
import type { ExtractedListing, ExtractedPage } from './types.ts';

/** What one walk of the whole document finds. */
interface Outline {
  /** `.tgme_widget_message[data-post]`, in order. */
  messages: Element[];
  /** A `.tgme_widget_message_wrap` exists. */
  wrap: boolean;
  /** The first `.tgme_channel_info`. */
  info?: Element;
  /** The first `a.tme_messages_more[data-before]`. */
  more?: Element;
  /** The first `meta[property="og:NAME"]` content of each NAME. */
  og: Map<string, string | undefined>;
}

/** Walks the document once for the parts of a channel preview. */
export function outlineOf(doc: Document): Outline {
  const o: Outline = { messages: [], wrap: false, og: new Map() };
  for (const el of descendants(doc)) {
    const a = el.attribs;
    if (el.name === 'meta') {
      const prop = a.property;
      if (prop?.startsWith('og:') && !o.og.has(prop.slice(3))) o.og.set(prop.slice(3), a.content);
      continue;
    }
    if (!a.class) continue;
    if (a['data-post'] !== undefined && hasClass(el, 'tgme_widget_message')) o.messages.push(el);
    if (!o.wrap && hasClass(el, 'tgme_widget_message_wrap')) o.wrap = true;
    if (!o.info && hasClass(el, 'tgme_channel_info')) o.info = el;
    if (!o.more && el.name === 'a' && a['data-before'] !== undefined && hasClass(el, 'tme_messages_more'))
      o.more = el;
  }
  return o;
}

/** True when the document has the structure of a channel preview. */
export function isTelegramPreview(o: Outline): boolean {
  return o.messages.length > 0 || o.wrap || o.info !== undefined;
}

/** True for a channel's landing page (`t.me/NAME`), which t.me/s/NAME redirects to when there is no preview. */
export function isTelegramLandingPage($: CheerioAPI): boolean {
  return (
    $('.tgme_page .tgme_page_title').length > 0 &&
    $('.tgme_widget_message[data-post], .tgme_widget_message_wrap, .tgme_channel_info').length === 0
  );
}

/** Extracts the posts of a channel preview page; permalinks are canonical `https://t.me/...`. */
export function extractTelegram(o: Outline, pageUrl: string): ExtractedPage {
  const listings = o.messages
    .map((el) => parseMessage(el, pageUrl))
    .filter((l): l is ExtractedListing => l !== undefined);
  const ids = new Set<number>();
  for (const l of listings) {
    ids.add(l.meta!.postId);
    for (const m of l.meta!.media) if (m.id !== undefined) ids.add(m.id);
  }
  const before = o.more?.attribs['data-before'];
  const olderPage = before && /^\d+$/.test(before) ? withBefore(pageUrl, before) : undefined;
  const channel = parseChannelInfo(o.info, o.og);
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
