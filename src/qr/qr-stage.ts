/**
 * Stage: fetch a listing's images, store them, and read their QR codes in worker threads
 * (decode-pool.ts; closeSharedDecodePool() ends them).
 */
import { and, eq } from 'drizzle-orm';
import { images, listingImages, listings, qrCodes } from '../../db/schema.ts';
import { fetchUrl } from '../fetch/fetch-url.ts';
import { fetchUrlFor } from '../fetch/telegram-url.ts';
import type { StageContext } from '../pipeline/context.ts';
import { dhash } from '../shops/similarity.ts';
import { classifyPayload } from './classify.ts';
import { sharedDecodePool } from './decode-pool.ts';

/** Largest image fetched, in bytes. */
const MAX_IMAGE_BYTES = 15 * 1024 * 1024;

/** Reads every image of listing `listingId`; per-image errors are recorded, not thrown. */
export async function qrStage(ctx: StageContext, input: { listingId: number }) {
  const [listing] = await ctx.db.select().from(listings).where(eq(listings.id, input.listingId));
  if (!listing) throw new Error(`listing ${input.listingId} does not exist`);
  const discovered: { url: string; via: string; listingId: number }[] = [];
  let read = 0;
  let codes = 0;
  let errors = 0;
  for (const url of listing.imageUrls) {
    try {
      const res = await fetchUrl(fetchUrlFor(url, ctx.config.telegramBase), {
        allowPrivate: ctx.config.allowPrivate,
        userAgent: ctx.config.userAgent,
        maxBytes: MAX_IMAGE_BYTES,
      });
      if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
      const decoded = await sharedDecodePool().decode(res.body); // worker threads: crawling stays responsive
      const sha = await ctx.blobs.put(res.body);
      await ctx.db
        .insert(images)
        .values({
          sha256: sha,
          mime: decoded.mime,
          width: decoded.width,
          height: decoded.height,
          size: res.body.length,
          dhash: await dhash(res.body).catch(() => null), // for finding the picture re-used elsewhere
        })
        .onConflictDoNothing();
      const [image] = await ctx.db.select({ id: images.id }).from(images).where(eq(images.sha256, sha));
      await ctx.db
        .insert(listingImages)
        .values({ listingId: listing.id, url, imageId: image!.id })
        .onConflictDoNothing();
      read++;
      for (const code of decoded.codes) {
        const c = classifyPayload(code.text);
        await ctx.db
          .insert(qrCodes)
          .values({
            imageId: image!.id,
            text: code.text,
            kind: c.kind,
            target: c.target,
            position: code.position,
          })
          .onConflictDoNothing();
        codes++;
        if (c.target)
          discovered.push({
            url: c.target,
            via: `QR code in ${url} (${listing.permalink})`,
            listingId: listing.id,
          });
      }
    } catch (err) {
      errors++;
      const message = (err as Error).message.slice(0, 500);
      ctx.log(`image ${url}: ${message}`);
      await ctx.db
        .insert(listingImages)
        .values({ listingId: listing.id, url, error: message })
        .onConflictDoNothing();
    }
  }
  return { read, codes, errors, discovered };
}

/** The QR codes read from a listing's images, with the image hashes they are bound to. */
export async function codesOfListing(ctx: Pick<StageContext, 'db'>, listingId: number) {
  return ctx.db
    .select({
      url: listingImages.url,
      imageSha256: images.sha256,
      mime: images.mime,
      text: qrCodes.text,
      kind: qrCodes.kind,
      target: qrCodes.target,
    })
    .from(listingImages)
    .innerJoin(images, eq(images.id, listingImages.imageId))
    .leftJoin(qrCodes, eq(qrCodes.imageId, images.id))
    .where(and(eq(listingImages.listingId, listingId)));
}
