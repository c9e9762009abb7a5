/**
 * Sources found in links and QR codes: channels, bots, onion hosts and web shops. Channels and web
 * pages can be crawled; bots and onion hosts are recorded as sources but never fetched. Web links
 * are taken from Telegram posts only (where shops advertise their sites), not from web pages, so a
 * crawl does not wander off across the web.
 */
import { eq } from 'drizzle-orm';
import { type Source, sources } from '../../db/schema.ts';
import { canonicalSourceUrl, sourceKind } from '../fetch/telegram-url.ts';
import { classifyPayload } from '../qr/classify.ts';
import type { StageContext } from './context.ts';

/** A target found in a listing's links or QR codes. */
export interface Discovered {
  url: string;
  via: string;
  listingId: number;
}

/** The kind of source a discovered URL becomes. */
export type TargetKind = Source['kind'];

const BOT = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me)\/([A-Za-z][A-Za-z0-9_]{2,30}bot)(?:[/?#]|$)/i;
const TELEGRAM_HOSTS = /(^|\.)(t\.me|telegram\.me|telegram\.org|telegram\.dog|telesco\.pe)$/i;

/** What a link leads to, as a source: kind and canonical URL; undefined when it is not a source. */
export function targetOf(
  link: string,
  fromKind: 'telegram' | 'web',
): { kind: TargetKind; url: string } | undefined {
  const bot = BOT.exec(link);
  if (bot) return { kind: 'bot', url: `https://t.me/${bot[1]!.toLowerCase()}` };
  const c = classifyPayload(link);
  if (c.kind === 'telegram' && c.target) return { kind: 'telegram', url: c.target };
  if (c.kind === 'onion') return { kind: 'onion', url: `${new URL(link).origin}/` };
  if (c.kind === 'url' && c.target && fromKind === 'telegram') {
    const u = new URL(c.target);
    if (!TELEGRAM_HOSTS.test(u.hostname)) return { kind: 'web', url: canonicalSourceUrl(c.target) };
  }
  return undefined;
}

/** The links of a listing as discovered targets. */
export function discoveredFrom(
  listing: { id: number; permalink: string; links: string[] },
  fromKind: 'telegram' | 'web',
): Discovered[] {
  return listing.links
    .filter((l) => targetOf(l, fromKind))
    .map((url) => ({ url, via: `link in ${listing.permalink}`, listingId: listing.id }));
}

/** A source row's fields the crawler needs. */
export type SourceRef = Pick<Source, 'id' | 'kind' | 'enabled' | 'approved' | 'url'>;

/**
 * The source for `url`, adding it (with how it was found) when new. A discovered source is added
 * unapproved when the admin setting says discovered sources wait for approval.
 */
export async function ensureSource(
  ctx: Pick<StageContext, 'db'>,
  url: string,
  depth: number,
  found?: { via: string; listingId: number; kind?: TargetKind; approved?: boolean },
): Promise<SourceRef> {
  let key: string;
  let kind: TargetKind;
  if (found?.kind === 'bot' || found?.kind === 'onion') {
    key = url;
    kind = found.kind;
  } else {
    const base = new URL(canonicalSourceUrl(url));
    base.searchParams.delete('before');
    key = base.href;
    kind = sourceKind(key);
  }
  await ctx.db
    .insert(sources)
    .values({
      url: key,
      kind,
      depth,
      discoveredVia: found?.via,
      discoveredFromListingId: found?.listingId,
      approved: found?.approved ?? true,
      status: kind === 'bot' || kind === 'onion' ? 'not_crawlable' : undefined,
    })
    .onConflictDoNothing();
  const [row] = await ctx.db
    .select({
      id: sources.id,
      kind: sources.kind,
      enabled: sources.enabled,
      approved: sources.approved,
      url: sources.url,
    })
    .from(sources)
    .where(eq(sources.url, key));
  return row!;
}
