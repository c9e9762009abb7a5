/** One message of a channel preview (`.tgme_widget_message`): text, media, forward, reply, preview, views. */
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { absoluteUrl, textWithBreaks } from './html-text.ts';
import type { ExtractedListing, PostMedia, PostMeta } from './types.ts';
import { parseCount } from './views.ts';

const POST = /^([A-Za-z0-9_]{1,64})\/(\d{1,12})$/;
const MAX_TEXT = 64 * 1024;

/** Parses one `.tgme_widget_message[data-post]`; undefined when its data-post is not `NAME/ID`. */
export function parseMessage($: CheerioAPI, el: AnyNode, pageUrl: string): ExtractedListing | undefined {
  const msg = $(el);
  const post = POST.exec(msg.attr('data-post') ?? '');
  if (!post) return undefined;
  const [, channel, id] = post;
  const textEl = messageText(msg);
  if (textEl.length) emojiToText($, textEl);
  const links = textEl
    .find('a[href]')
    .toArray()
    .map((a) => absoluteUrl($(a).attr('href'), pageUrl));
  const preview = linkPreview(msg, pageUrl);
  if (preview?.url) links.push(preview.url);
  const media = mediaOf($, msg, pageUrl);
  const previewImage = backgroundImage(
    msg.find('.link_preview_image, .link_preview_right_image').first().attr('style'),
    pageUrl,
  );
  const meta: PostMeta = {
    postId: Number(id),
    kind: messageKind(msg),
    views: parseCount(msg.find('.tgme_widget_message_views').first().text().trim()),
    media,
    forwardedFrom: forwardOf(msg, pageUrl),
    replyTo: replyOf(msg, pageUrl),
    linkPreview: preview,
    edited: /\bedited\b/i.test(msg.find('.tgme_widget_message_meta').first().text()) || undefined,
  };
  const serviceText = msg.find('.tgme_widget_message_service_text').first();
  const text = textEl.length ? textWithBreaks(textEl) : serviceText.length ? textWithBreaks(serviceText) : '';
  return {
    permalink: `https://t.me/${channel}/${id}`,
    text: text.slice(0, MAX_TEXT),
    postedAt: msg.find('.tgme_widget_message_date time[datetime]').first().attr('datetime') ?? undefined,
    links: unique(links),
    imageUrls: unique([...media.map((m) => m.imageUrl), previewImage]),
    meta,
  };
}

/** The message's own text: not the quoted reply's, nor the link preview's. */
function messageText(msg: Cheerio<AnyNode>): Cheerio<AnyNode> {
  return msg
    .find('.js-message_text, .tgme_widget_message_text')
    .filter(
      (_, t) => msg.find('.tgme_widget_message_reply, .tgme_widget_message_link_preview').has(t).length === 0,
    )
    .first();
}

/** Emoji images become their character: `<i class="emoji"><b>🍁</b></i>`, `<img class="emoji" alt>`, or the image's hex name. */
function emojiToText($: CheerioAPI, textEl: Cheerio<AnyNode>): void {
  for (const el of textEl.find('i.emoji, img.emoji').toArray()) {
    const e = $(el);
    const char = e.text().trim() || e.attr('alt')?.trim() || emojiFromImage(e.attr('style') ?? e.attr('src'));
    e.replaceWith(char ?? '');
  }
}

/** `…/emoji/40/F09F8D81.png` names the emoji by its UTF-8 bytes in hex. */
function emojiFromImage(ref: string | undefined): string | undefined {
  const hex = /\/([0-9A-F]{2,32})\.png/i.exec(ref ?? '')?.[1];
  if (!hex || hex.length % 2) return undefined;
  const text = Buffer.from(hex, 'hex').toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}

function messageKind(msg: Cheerio<AnyNode>): PostMeta['kind'] {
  if (msg.hasClass('service_message') || msg.find('.tgme_widget_message_service_text').length)
    return 'service';
  if (msg.find('.message_media_not_supported').length) return 'unsupported';
  return 'text';
}

function mediaOf($: CheerioAPI, msg: Cheerio<AnyNode>, pageUrl: string): PostMedia[] {
  return msg
    .find('.tgme_widget_message_photo_wrap, .tgme_widget_message_video_player')
    .toArray()
    .map((el) => {
      const m = $(el);
      const video = m.hasClass('tgme_widget_message_video_player');
      const style = video ? m.find('.tgme_widget_message_video_thumb').attr('style') : m.attr('style');
      const id = /\/(\d{1,12})(?:\?single)?$/.exec(m.attr('href') ?? '')?.[1];
      return {
        kind: video ? 'video' : 'photo',
        id: id && m.hasClass('grouped_media_wrap') ? Number(id) : undefined,
        imageUrl: backgroundImage(style, pageUrl),
      } satisfies PostMedia;
    });
}

function forwardOf(msg: Cheerio<AnyNode>, pageUrl: string): PostMeta['forwardedFrom'] {
  const a = msg.find('.tgme_widget_message_forwarded_from_name').first();
  if (!a.length) return undefined;
  return { name: a.text().trim().slice(0, 256) || undefined, url: absoluteUrl(a.attr('href'), pageUrl) };
}

function replyOf(msg: Cheerio<AnyNode>, pageUrl: string): PostMeta['replyTo'] {
  const url = absoluteUrl(msg.find('a.tgme_widget_message_reply').first().attr('href'), pageUrl);
  if (!url) return undefined;
  const id = /\/(\d{1,12})(?:\?.*)?$/.exec(url)?.[1];
  return { url, postId: id ? Number(id) : undefined };
}

function linkPreview(msg: Cheerio<AnyNode>, pageUrl: string): PostMeta['linkPreview'] {
  const p = msg.find('.tgme_widget_message_link_preview').first();
  if (!p.length) return undefined;
  const field = (sel: string) => p.find(sel).first().text().trim().slice(0, 4096) || undefined;
  return {
    url: absoluteUrl(p.attr('href'), pageUrl),
    siteName: field('.link_preview_site_name'),
    title: field('.link_preview_title'),
    description: field('.link_preview_description'),
  };
}

/** The URL in a `background-image:url(...)` style. */
export function backgroundImage(style: string | undefined, base: string): string | undefined {
  const m = /background-image\s*:\s*url\(\s*['"]?([^'")]+)['"]?\s*\)/i.exec(style ?? '');
  return m ? absoluteUrl(m[1], base) : undefined;
}

const unique = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];
