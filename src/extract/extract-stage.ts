/** Stage: parse a stored page into listings and the sources its links lead to. */
import { and, eq } from 'drizzle-orm';
import { listings, pages } from '../../db/schema.ts';
import { sha256 } from '../capture/hash.ts';
import type { StageContext } from '../pipeline/context.ts';
import { classifyPayload } from '../qr/classify.ts';
import { decodeBody, extractPage } from './extract-page.ts';

/** Extracts and stores the listings of page `pageId`; returns their ids and discovered targets. */
export async function extractStage(ctx: StageContext, input: { pageId: number }) {
  const [page] = await ctx.db.select().from(pages).where(eq(pages.id, input.pageId));
  if (!page) throw new Error(`page ${input.pageId} does not exist`);
  const html = decodeBody(await ctx.blobs.get(page.bodySha256), page.headers['content-type']);
  const extracted = extractPage(html, page.finalUrl);
  const listingIds: number[] = [];
  for (const l of extracted.listings) {
    const textSha256 = sha256(l.text);
    await ctx.db
      .insert(listings)
      .values({
        pageId: page.id,
        sourceId: page.sourceId,
        permalink: l.permalink,
        text: l.text,
        textSha256,
        postedAt: l.postedAt ? new Date(l.postedAt) : null,
        links: l.links,
        imageUrls: l.imageUrls,
      })
      .onConflictDoNothing();
    const [row] = await ctx.db
      .select({ id: listings.id })
      .from(listings)
      .where(and(eq(listings.permalink, l.permalink), eq(listings.textSha256, textSha256)));
    listingIds.push(row!.id);
  }
  // Links to channels are followed; other web links wait for the crawler issue's policy.
  const discovered = extracted.listings.flatMap((l, i) =>
    l.links.flatMap((link) => {
      const c = classifyPayload(link);
      return c.kind === 'telegram' && c.target
        ? [{ url: c.target, via: `link in ${l.permalink}`, listingId: listingIds[i]! }]
        : [];
    }),
  );
  const olderPage = extracted.olderPage ? olderPageUrl(page.url, extracted.olderPage) : undefined;
  return { listingIds, discovered, olderPage, kind: extracted.kind };
}

/** The older page's URL in the same (canonical) form as the page's own URL. */
function olderPageUrl(pageUrl: string, fetchedOlder: string): string {
  const u = new URL(pageUrl);
  const before = new URL(fetchedOlder).searchParams.get('before');
  if (before) u.searchParams.set('before', before);
  return u.href;
}
