/** The channel header of a preview page: title, username, description, counters. */
import type { Element } from 'domhandler';
import { descendants, findFirst, hasClass, textOf, textWithBreaksOf } from './dom.ts';
import type { ChannelInfo } from './types.ts';
import { parseCount } from './views.ts';

const MAX_FIELD = 4096;

/**
 * Reads `.tgme_channel_info` (`info`, the first one on the page), falling back to the page's og:
 * tags (`og`); undefined when neither exists.
 */
export function parseChannelInfo(
  info: Element | undefined,
  og: ReadonlyMap<string, string | undefined>,
): ChannelInfo | undefined {
  const ogTag = (p: string) => og.get(p)?.trim() || undefined;
  const first = (cls: string) => (info ? findFirst(info, (el) => hasClass(el, cls)) : undefined);
  const title = textOf(first('tgme_channel_info_header_title')).trim() || ogTag('title');
  if (!info && !title) return undefined;
  const username = textOf(first('tgme_channel_info_header_username')).trim().replace(/^@/, '');
  const descEl = first('tgme_channel_info_description');
  const description = descEl ? textWithBreaksOf(descEl) : ogTag('description');
  const counters: Record<string, number> = {};
  for (const el of info ? descendants(info) : []) {
    if (!hasClass(el, 'tgme_channel_info_counter')) continue;
    // the text of every `.counter_type` (and `.counter_value`) inside, as cheerio's .text() joins them
    let type = '';
    let raw = '';
    for (const c of descendants(el)) {
      if (hasClass(c, 'counter_type')) type += textOf(c);
      if (hasClass(c, 'counter_value')) raw += textOf(c);
    }
    type = type.trim().toLowerCase();
    const value = parseCount(raw.trim());
    if (/^[a-z ]{1,32}$/.test(type) && value !== undefined) counters[type.replace(/ /g, '_')] = value;
  }
  return {
    title: title?.slice(0, MAX_FIELD),
    username: /^[A-Za-z0-9_]{1,64}$/.test(username) ? username : undefined,
    description: description?.slice(0, MAX_FIELD),
    counters,
  };
}
