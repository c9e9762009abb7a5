/** Stage: parse a stored page into listings; returns what the crawler needs to page, diff and discover. */
import { and, eq, or } from 'drizzle-orm';
import { dateParam, jsonParam, rawQuery, valuesList } from '../../db/raw.ts';
import { listings, type Page, pages } from '../../db/schema.ts';
import { sha256 } from '../capture/hash.ts';
import type { StageContext } from '../pipeline/context.ts';
import { decodeBody, extractPage } from './extract-page.ts';
import type { ChannelInfo } from './types.ts';

/** One stored listing of the page, with what the crawler reads from it. */
export interface StoredListing {
  id: number;
  permalink: string;
  textSha256: string;
  /** The listing's text, as stored (scored next without reading it back). */
  text: string;
  /** Stored by this extraction (not seen before), so nothing refers to it yet. */
  isNew: boolean;
  /** Telegram post id. */
  postId?: number;
  postedAt?: string;
  /** Links in the text, a link preview's target, and a forward's source. */
  links: string[];
  /** How many images the listing shows (no QR stage needed when none). */
  imageCount: number;
}

/** What extracting one page gives the crawler. */
export interface ExtractResult {
  kind: 'telegram' | 'web';
  listings: StoredListing[];
  /** The older page of a channel, in the same (canonical) form as the page's own URL. */
  olderPage?: string;
  channel?: ChannelInfo;
  /** Every post id the page shows (posts and album items), ascending. */
  postIds?: number[];
  /** A channel landing page: the channel has no preview. */
  noPreview?: boolean;
}

/**
 * Extracts and stores the listings of page `pageId` (idempotent: unique on permalink and text hash).
 * The fetch stage may hand over the page row and body it just stored, so they are not read back.
 */
export async function extractStage(
  ctx: StageContext,
  input: { pageId: number; stored?: { page: Page; body: Buffer } },
): Promise<ExtractResult> {
  const handed = input.stored?.page.id === input.pageId ? input.stored : undefined;
  const [page] = handed ? [handed.page] : await ctx.db.select().from(pages).where(eq(pages.id, input.pageId));
  if (!page) throw new Error(`page ${input.pageId} does not exist`);
  const body = handed?.body ?? (await ctx.blobs.get(page.bodySha256));
  const html = decodeBody(body, page.headers['content-type']);
  const extracted = extractPage(html, page.finalUrl);
  const rows = extracted.listings.map((l) => ({
    pageId: page.id,
    sourceId: page.sourceId,
    permalink: l.permalink,
    text: l.text,
    textSha256: sha256(l.text),
    postedAt: validDate(l.postedAt),
    links: l.links,
    imageUrls: l.imageUrls,
    meta: l.meta as Record<string, unknown> | undefined,
  }));
  const { ids, fresh } = await storeListings(ctx, rows);
  const stored: StoredListing[] = extracted.listings.map((l, i) => {
    const forward = l.meta?.forwardedFrom?.url;
    return {
      id: ids[i]!,
      permalink: l.permalink,
      textSha256: rows[i]!.textSha256,
      text: l.text,
      isNew: fresh.has(ids[i]!),
      postId: l.meta?.postId,
      postedAt: l.postedAt,
      links: forward ? [...l.links, forward] : l.links,
      imageCount: l.imageUrls.length,
    };
  });
  return {
    kind: extracted.kind,
    listings: stored,
    olderPage: extracted.olderPage ? olderPageUrl(page.url, extracted.olderPage) : undefined,
    channel: extracted.channel,
    postIds: extracted.postIds,
    noPreview: extracted.noPreview,
  };
}

/** Inserts the page's listings in one statement; returns each one's id, new or already stored, and the new ids. */
async function storeListings(
  ctx: StageContext,
  rows: (typeof listings.$inferInsert)[],
): Promise<{ ids: number[]; fresh: Set<number> }> {
  if (rows.length === 0) return { ids: [], fresh: new Set() };
  const key = (permalink: string, hash: string) => `${permalink}\n${hash}`;
  const ids = new Map<string, number>();
  // raw SQL, one statement: this runs once per crawled page, and drizzle's builder cost more than the insert
  const inserted = await rawQuery<{ id: number; permalink: string; hash: string }>(
    ctx.db,
    `insert into listings (page_id, source_id, permalink, text, text_sha256, posted_at, links, image_urls, meta)
     values ${valuesList(rows.length, 9)} on conflict do nothing
     returning id, permalink, text_sha256 as hash`,
    rows.flatMap((r) => [
      r.pageId,
      r.sourceId ?? null,
      r.permalink,
      r.text,
      r.textSha256,
      dateParam(r.postedAt),
      jsonParam(r.links),
      jsonParam(r.imageUrls),
      jsonParam(r.meta),
    ]),
  );
  for (const r of inserted) ids.set(key(r.permalink, r.hash), r.id);
  const fresh = new Set(inserted.map((r) => r.id));
  const missing = rows.filter((r) => !ids.has(key(r.permalink, r.textSha256)));
  if (missing.length) {
    const found = await ctx.db
      .select({ id: listings.id, permalink: listings.permalink, hash: listings.textSha256 })
      .from(listings)
      .where(
        or(
          ...missing.map((r) =>
            and(eq(listings.permalink, r.permalink), eq(listings.textSha256, r.textSha256)),
          ),
        ),
      );
    for (const r of found) ids.set(key(r.permalink, r.hash), r.id);
  }
  return { ids: rows.map((r) => ids.get(key(r.permalink, r.textSha256))!), fresh };
}

function validDate(raw: string | undefined): Date | null {
  const d = raw ? new Date(raw) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/** The older page's URL in the same (canonical) form as the page's own URL. */
function olderPageUrl(pageUrl: string, fetchedOlder: string): string {
  const u = new URL(pageUrl);
  const before = new URL(fetchedOlder).searchParams.get('before');
  if (before) u.searchParams.set('before', before);
  return u.href;
}
