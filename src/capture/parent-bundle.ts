/**
 * Child bundles: a listing reached through a bundled listing's link or QR code is linked to that
 * bundle. A web page reached that way is captured even when it is not flagged itself (it is where
 * the shop's code led); a channel's posts are captured only when flagged.
 */
import { eq } from 'drizzle-orm';
import { bundles, listings, sources } from '../../db/schema.ts';
import type { StageContext } from '../pipeline/context.ts';

/** The bundle of the listing whose link or QR code led to this listing's source, if that listing was bundled. */
export async function parentBundleOf(ctx: Pick<StageContext, 'db'>, listingId: number) {
  const [row] = await ctx.db
    .select({ parent: bundles.id, kind: sources.kind })
    .from(listings)
    .innerJoin(sources, eq(sources.id, listings.sourceId))
    .innerJoin(bundles, eq(bundles.listingId, sources.discoveredFromListingId))
    .where(eq(listings.id, listingId));
  return row ? { bundleId: row.parent, kind: row.kind } : undefined;
}

/** Why a listing gets a bundle: it was flagged, or it is a web page a bundled listing led to; else undefined. */
export async function captureReason(ctx: Pick<StageContext, 'db'>, listingId: number, flagged: boolean) {
  if (flagged) return 'flagged' as const;
  const parent = await parentBundleOf(ctx, listingId);
  return parent?.kind === 'web' ? ('target' as const) : undefined;
}
