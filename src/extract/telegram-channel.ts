/** The channel header of a preview page: title, username, description, counters. */
import type { CheerioAPI } from 'cheerio';
import { textWithBreaks } from './html-text.ts';
import type { ChannelInfo } from './types.ts';
import { parseCount } from './views.ts';

const MAX_FIELD = 4096;

/** Reads `.tgme_channel_info` (falling back to the page's og: tags); undefined when neither exists. */
export function parseChannelInfo($: CheerioAPI): ChannelInfo | undefined {
  const info = $('.tgme_channel_info').first();
  const og = (p: string) => $(`meta[property="og:${p}"]`).attr('content')?.trim() || undefined;
  const title = info.find('.tgme_channel_info_header_title').first().text().trim() || og('title');
  if (!info.length && !title) return undefined;
  const username = info.find('.tgme_channel_info_header_username').first().text().trim().replace(/^@/, '');
  const descEl = info.find('.tgme_channel_info_description').first();
  const description = descEl.length ? textWithBreaks(descEl) : og('description');
  const counters: Record<string, number> = {};
  for (const el of info.find('.tgme_channel_info_counter').toArray()) {
    const type = $(el).find('.counter_type').text().trim().toLowerCase();
    const value = parseCount($(el).find('.counter_value').text().trim());
    if (/^[a-z ]{1,32}$/.test(type) && value !== undefined) counters[type.replace(/ /g, '_')] = value;
  }
  return {
    title: title?.slice(0, MAX_FIELD),
    username: /^[A-Za-z0-9_]{1,64}$/.test(username) ? username : undefined,
    description: description?.slice(0, MAX_FIELD),
    counters,
  };
}
