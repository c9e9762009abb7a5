/**
 * Stage: preserve a listing as an evidence bundle — raw page bytes, a WARC record of the fetch,
 * a full-page screenshot, text, images, and bundle.json with every artifact's SHA-256 — and log it
 * in the custody chain. Created once per listing; running it again returns the existing bundle.
 */
import { eq } from 'drizzle-orm';
import { bundles, detections, listings, pages, sources } from '../../db/schema.ts';
import { dozorVersion } from '../config/version.ts';
import { decodeBody, extractPage } from '../extract/extract-page.ts';
import type { StageContext } from '../pipeline/context.ts';
import { codesOfListing } from '../qr/qr-stage.ts';
import { bundleJsonOf } from './bundle-json.ts';
import { sha256 } from './hash.ts';
import { parentBundleOf } from './parent-bundle.ts';
import { type BundleFile, storeBundle } from './store-bundle.ts';
import { warcOf } from './warc.ts';

/** The bundle id of a listing: derived from its permalink and text, so every machine agrees. */
export function bundleIdFor(permalink: string, textSha256: string): string {
  return sha256(`${permalink}\n${textSha256}`).slice(0, 16);
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** Captures the bundle of listing `listingId` with its detection `detectionId`. */
export async function captureStage(ctx: StageContext, input: { listingId: number; detectionId: number }) {
  const [listing] = await ctx.db.select().from(listings).where(eq(listings.id, input.listingId));
  if (!listing) throw new Error(`listing ${input.listingId} does not exist`);
  const id = bundleIdFor(listing.permalink, listing.textSha256);
  const [existing] = await ctx.db.select({ id: bundles.id }).from(bundles).where(eq(bundles.id, id));
  if (existing) return { bundleId: id, created: false };
  if (!ctx.browser) throw new Error('capture needs a browser');

  const [page] = await ctx.db.select().from(pages).where(eq(pages.id, listing.pageId));
  const [detection] = await ctx.db.select().from(detections).where(eq(detections.id, input.detectionId));
  if (!page || !detection) throw new Error(`listing ${listing.id} has no page or detection`);
  const [source] = listing.sourceId
    ? await ctx.db.select().from(sources).where(eq(sources.id, listing.sourceId))
    : [];
  const codes = await codesOfListing(ctx, listing.id);
  const parent = await parentBundleOf(ctx, listing.id);
  const body = await ctx.blobs.get(page.bodySha256);
  const software = `Dozor/${dozorVersion()}`;

  const files: BundleFile[] = [
    { name: 'page.html', bytes: body, mime: page.headers['content-type'] ?? 'text/html' },
    {
      name: 'capture.warc.gz',
      bytes: await warcOf(page, body, { userAgent: ctx.config.userAgent, software }),
      mime: 'application/warc',
    },
    { name: 'screenshot.png', bytes: await ctx.browser.screenshot(page.finalUrl), mime: 'image/png' },
    { name: 'text.txt', bytes: Buffer.from(listing.text, 'utf8'), mime: 'text/plain; charset=utf-8' },
  ];
  for (const sha of new Set(codes.map((c) => c.imageSha256))) {
    const mime = codes.find((c) => c.imageSha256 === sha)?.mime ?? 'application/octet-stream';
    files.push({ name: `images/${sha}.${EXT[mime] ?? 'bin'}`, bytes: await ctx.blobs.get(sha), mime });
  }
  const title = extractPage(decodeBody(body, page.headers['content-type']), page.finalUrl).title;
  const json = bundleJsonOf({
    id,
    listing,
    page,
    detection,
    source,
    codes,
    parent: parent?.bundleId,
    title,
    files,
  });
  files.push({
    name: 'bundle.json',
    bytes: Buffer.from(`${JSON.stringify(json, null, 2)}\n`),
    mime: 'application/json',
  });

  for (const f of files) await ctx.blobs.put(f.bytes);
  const created = await storeBundle(
    ctx.db,
    { id, listingId: listing.id, detectionId: detection.id, parentBundleId: parent?.bundleId, files },
    { permalink: listing.permalink, parent: parent?.bundleId ?? null, software },
  );
  return { bundleId: id, created };
}
