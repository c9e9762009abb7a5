/** Read queries over bundles: the list with derived status, and one bundle in full. */
import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  artifacts,
  bundles,
  detections,
  images,
  listingImages,
  listings,
  pages,
  qrCodes,
  reviews,
  sources,
} from '../../db/schema.ts';
import { statusesOf } from './review.ts';
import { type BundleStatus, statusOf } from './status.ts';

/** A bundle as listed (DESIGN.md §4 `bundles list --json`). */
export interface BundleSummary {
  id: string;
  status: BundleStatus;
  url: string;
  source: string | null;
  verdict: string;
  score: number;
  created_at: string;
}

/** Every bundle, newest first, optionally only those with `status`. */
export async function listBundles(db: Db, opts: { confirmations: number; status?: BundleStatus }) {
  const rows = await db
    .select({
      id: bundles.id,
      url: listings.permalink,
      source: sources.url,
      verdict: detections.verdict,
      score: detections.score,
      createdAt: bundles.createdAt,
    })
    .from(bundles)
    .innerJoin(listings, eq(listings.id, bundles.listingId))
    .innerJoin(detections, eq(detections.id, bundles.detectionId))
    .leftJoin(sources, eq(sources.id, listings.sourceId))
    .orderBy(desc(bundles.createdAt), asc(bundles.id));
  const statuses = await statusesOf(
    db,
    rows.map((r) => r.id),
    opts.confirmations,
  );
  return rows
    .map(
      (r): BundleSummary => ({
        id: r.id,
        status: statuses.get(r.id)!,
        url: r.url,
        source: r.source,
        verdict: r.verdict,
        score: r.score,
        created_at: r.createdAt.toISOString(),
      }),
    )
    .filter((b) => !opts.status || b.status === opts.status);
}

/** One bundle with its listing, detection, artifacts and reviews; undefined if absent. */
export async function getBundle(db: Db, id: string, confirmations: number) {
  const [row] = await db
    .select()
    .from(bundles)
    .innerJoin(listings, eq(listings.id, bundles.listingId))
    .innerJoin(detections, eq(detections.id, bundles.detectionId))
    .innerJoin(pages, eq(pages.id, listings.pageId))
    .leftJoin(sources, eq(sources.id, listings.sourceId))
    .where(eq(bundles.id, id));
  if (!row) return undefined;
  const files = await db
    .select()
    .from(artifacts)
    .where(eq(artifacts.bundleId, id))
    .orderBy(asc(artifacts.name));
  const decisions = await db.select().from(reviews).where(eq(reviews.bundleId, id)).orderBy(asc(reviews.id));
  const codes = await db
    .select({
      imageUrl: listingImages.url,
      imageSha256: images.sha256,
      text: qrCodes.text,
      kind: qrCodes.kind,
      target: qrCodes.target,
    })
    .from(listingImages)
    .innerJoin(images, eq(images.id, listingImages.imageId))
    .innerJoin(qrCodes, eq(qrCodes.imageId, images.id))
    .where(eq(listingImages.listingId, row.listings.id))
    .orderBy(asc(qrCodes.id));
  return {
    bundle: row.bundles,
    listing: row.listings,
    detection: row.detections,
    page: row.pages,
    source: row.sources,
    codes,
    artifacts: files,
    reviews: decisions,
    status: statusOf(decisions, confirmations),
  };
}

export type BundleDetail = NonNullable<Awaited<ReturnType<typeof getBundle>>>;
