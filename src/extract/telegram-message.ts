/** One message of a channel preview (`.tgme_widget_message`): text, media, forward, reply, preview, views. */
import type { Element } from 'domhandler';
import {
  descendants,
  findFirst,
  hasClass,
  insideBelow,
  replaceWithText,
  textOf,
  textWithBreaksOf,
} from './dom.ts';
import { absoluteUrl } from './html-text.ts';
import type { ExtractedListing, PostMedia, PostMeta } from './types.ts';
import { parseCount } from './views.ts';

const POST = /^([A-Za-z0-9_]{1,64})\/(\d{1,12})$/;
const MAX_TEXT = 64 * 1024;

/** The parts of a message found in one walk of its subtree (the first of each, in document order). */
interface Parts {
  /** Text candidates (`.js-message_text, .tgme_widget_message_text`), in order. */
  texts: Element[];
  /** Photos and video players, in order. */
  media: Element[];
  previewImage?: Element;
  views?: Element;
  meta?: Element;
  serviceText?: Element;
  unsupported?: Element;
  forward?: Element;
  reply?: Element;
  linkPreview?: Element;
  /** `time[datetime]` inside `.tgme_widget_message_date`. */
  time?: Element;
}

function partsOf(msg: Element): Parts {
  const p: Parts = { texts: [], media: [] };
  for (const el of descendants(msg)) {
    const cls = el.attribs.class;
    if (el.name === 'time' && el.attribs.datetime !== undefined && !p.time) {
      // `.tgme_widget_message_date time[datetime]`: any ancestor may be the date
      for (let a = el.parent; a; a = a.parent)
        if (a.type === 'tag' && hasClass(a as Element, 'tgme_widget_message_date')) {
          p.time = el;
          break;
        }
    }
    if (!cls) continue;
    if (hasClass(el, 'js-message_text') || hasClass(el, 'tgme_widget_message_text')) p.texts.push(el);
    if (hasClass(el, 'tgme_widget_message_photo_wrap') || hasClass(el, 'tgme_widget_message_video_player'))
      p.media.push(el);
    if (!p.previewImage && (hasClass(el, 'link_preview_image') || hasClass(el, 'link_preview_right_image')))
      p.previewImage = el;
    p.views ??= hasClass(el, 'tgme_widget_message_views') ? el : undefined;
    p.meta ??= hasClass(el, 'tgme_widget_message_meta') ? el : undefined;
    p.serviceText ??= hasClass(el, 'tgme_widget_message_service_text') ? el : undefined;
    p.unsupported ??= hasClass(el, 'message_media_not_supported') ? el : undefined;
    p.forward ??= hasClass(el, 'tgme_widget_message_forwarded_from_name') ? el : undefined;
    p.reply ??= el.name === 'a' && hasClass(el, 'tgme_widget_message_reply') ? el : undefined;
    p.linkPreview ??= hasClass(el, 'tgme_widget_message_link_preview') ? el : undefined;
  }
  return p;
}

/** Parses one `.tgme_widget_message[data-post]`; undefined when its data-post is not `NAME/ID`. */
export function parseMessage(msg: Element, pageUrl: string): ExtractedListing | undefined {
  const post = POST.exec(msg.attribs['data-post'] ?? '');
  if (!post) return undefined;
  const [, channel, id] = post;
  const p = partsOf(msg);
  const textEl = messageText(msg, p.texts);
  if (textEl) emojiToText(textEl);
  const links = textEl
    ? [...descendants(textEl)]
        .filter((a) => a.name === 'a' && a.attribs.href !== undefined)
        .map((a) => absoluteUrl(a.attribs.href, pageUrl))
    : [];
  const preview = linkPreview(p.linkPreview, pageUrl);
  if (preview?.url) links.push(preview.url);
  const media = mediaOf(p.media, pageUrl);
  const previewImage = backgroundImage(p.previewImage?.attribs.style, pageUrl);
  const meta: PostMeta = {
    postId: Number(id),
    kind:
      hasClass(msg, 'service_message') || p.serviceText ? 'service' : p.unsupported ? 'unsupported' : 'text',
    views: parseCount(textOf(p.views).trim()),
    media,
    forwardedFrom: forwardOf(p.forward, pageUrl),
    replyTo: replyOf(p.reply, pageUrl),
    linkPreview: preview,
    edited: /\bedited\b/i.test(textOf(p.meta)) || undefined,
  };
  const text = textEl ? textWithBreaksOf(textEl) : p.serviceText ? textWithBreaksOf(p.serviceText) : '';
  return {
    permalink: `https://t.me/${channel}/${id}`,
    text: text.slice(0, MAX_TEXT),
    postedAt: p.time?.attribs.datetime ?? undefined,
    links: unique(links),
    imageUrls: unique([...media.map((m) => m.imageUrl), previewImage]),
    meta,
  };
}

/** The message's own text: not the quoted reply's, nor the link preview's. */
function messageText(msg: Element, candidates: Element[]): Element | undefined {
  const quoted = (el: Element) =>
    hasClass(el, 'tgme_widget_message_reply') || hasClass(el, 'tgme_widget_message_link_preview');
  return candidates.find((t) => !insideBelow(t, msg, quoted));
}

/** Emoji images become their character: `<i class="emoji"><b>🍁</b></i>`, `<img class="emoji" alt>`, or the image's hex name. */
function emojiToText(textEl: Element): void {
  const emoji = [...descendants(textEl)].filter(
    (el) => (el.name === 'i' || el.name === 'img') && hasClass(el, 'emoji'),
  );
  for (const e of emoji) {
    const char =
      textOf(e).trim() || e.attribs.alt?.trim() || emojiFromImage(e.attribs.style ?? e.attribs.src);
    replaceWithText(e, char ?? '');
  }
}

/** `…/emoji/40/F09F8D81.png` names the emoji by its UTF-8 bytes in hex. */
function emojiFromImage(ref: string | undefined): string | undefined {
  const hex = /\/([0-9A-F]{2,32})\.png/i.exec(ref ?? '')?.[1];
  if (!hex || hex.length % 2) return undefined;
  const text = Buffer.from(hex, 'hex').toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}

function mediaOf(items: Element[], pageUrl: string): PostMedia[] {
  return items.map((m) => {
    const video = hasClass(m, 'tgme_widget_message_video_player');
    const style = video
      ? findFirst(m, (el) => hasClass(el, 'tgme_widget_message_video_thumb'))?.attribs.style
      : m.attribs.style;
    const id = /\/(\d{1,12})(?:\?single)?$/.exec(m.attribs.href ?? '')?.[1];
    return {
      kind: video ? 'video' : 'photo',
      id: id && hasClass(m, 'grouped_media_wrap') ? Number(id) : undefined,
      imageUrl: backgroundImage(style, pageUrl),
    } satisfies PostMedia;
  });
}

function forwardOf(a: Element | undefined, pageUrl: string): PostMeta['forwardedFrom'] {
  if (!a) return undefined;
  return { name: textOf(a).trim().slice(0, 256) || undefined, url: absoluteUrl(a.attribs.href, pageUrl) };
}

function replyOf(a: Element | undefined, pageUrl: string): PostMeta['replyTo'] {
  const url = absoluteUrl(a?.attribs.href, pageUrl);
  if (!url) return undefined;
  const id = /\/(\d{1,12})(?:\?.*)?$/.exec(url)?.[1];
  return { url, postId: id ? Number(id) : undefined };
}

function linkPreview(p: Element | undefined, pageUrl: string): PostMeta['linkPreview'] {
  if (!p) return undefined;
  const field = (cls: string) =>
    textOf(findFirst(p, (el) => hasClass(el, cls)))
      .trim()
      .slice(0, 4096) || undefined;
  return {
    url: absoluteUrl(p.attribs.href, pageUrl),
    siteName: field('link_preview_site_name'),
    title: field('link_preview_title'),
    description: field('link_preview_description'),
  };
}

/** The URL in a `background-image:url(...)` style. */
export function backgroundImage(style: string | undefined, base: string): string | undefined {
  const m = /background-image\s*:\s*url\(\s*['"]?([^'")]+)['"]?\s*\)/i.exec(style ?? '');
  return m ? absoluteUrl(m[1], base) : undefined;
}

const unique = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];
