/** Stage: parse a stored page into listings; returns what the crawler needs to page, diff and discover. */
import { and, eq } from 'drizzle-orm';
import { listings, pages } from '../../db/schema.ts';
import { sha256 } from '../capture/hash.ts';
import type { StageContext } from '../pipeline/context.ts';
import { decodeBody, extractPage } from './extract-page.ts';
import type { ChannelInfo } from './types.ts';

/** One stored listing of the page, with what the crawler reads from it. */
export interface StoredListing {
  id: number;
  permalink: string;
  textSha256: string;
  /** Telegram post id. */
  postId?: number;
  postedAt?: string;
  /** Links in the text, a link preview's target, and a forward's source. */
  links: string[];
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

/** Extracts and stores the listings of page `pageId` (idempotent: unique on permalink and text hash). */
export async function extractStage(ctx: StageContext, input: { pageId: number }): Promise<ExtractResult> {
  const [page] = await ctx.db.select().from(pages).where(eq(pages.id, input.pageId));
  if (!page) throw new Error(`page ${input.pageId} does not exist`);
  const html = decodeBody(await ctx.blobs.get(page.bodySha256), page.headers['content-type']);
  const extracted = extractPage(html, page.finalUrl);
  const stored: StoredListing[] = [];
  for (const l of extracted.listings) {
    const textSha256 = sha256(l.text);
    const [inserted] = await ctx.db
      .insert(listings)
      .values({
        pageId: page.id,
        sourceId: page.sourceId,
        permalink: l.permalink,
        text: l.text,
        textSha256,
        postedAt: validDate(l.postedAt),
        links: l.links,
        imageUrls: l.imageUrls,
        meta: l.meta as Record<string, unknown> | undefined,
      })
      .onConflictDoNothing()
      .returning({ id: listings.id });
    const id =
      inserted?.id ??
      (
        await ctx.db
          .select({ id: listings.id })
          .from(listings)
          .where(and(eq(listings.permalink, l.permalink), eq(listings.textSha256, textSha256)))
      )[0]!.id;
    const forward = l.meta?.forwardedFrom?.url;
    stored.push({
      id,
      permalink: l.permalink,
      textSha256,
      postId: l.meta?.postId,
      postedAt: l.postedAt,
      links: forward ? [...l.links, forward] : l.links,
    });
  }
  return {
    kind: extracted.kind,
    listings: stored,
    olderPage: extracted.olderPage ? olderPageUrl(page.url, extracted.olderPage) : undefined,
    channel: extracted.channel,
    postIds: extracted.postIds,
    noPreview: extracted.noPreview,
  };
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
