/**
 * Shops from the database: flagged listings, their identifiers (text, links, QR codes and the
 * channel itself) and bundles, linked into shops on demand. A post whose QR code leads elsewhere
 * counts too when its channel is itself a shop channel (it has flagged posts): that code is how a
 * shop points to its mirrors. A news post showing the same code does not join.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bundles, detections, images, listingImages, listings, qrCodes, sources } from '../../db/schema.ts';
import { type Identifier, identifierOfLink, identifiersIn } from './identifiers.ts';
import { type LinkedShop, linkShops } from './link.ts';
import { minhash } from './similarity.ts';

/** A shop with its bundles. */
export interface Shop extends LinkedShop {
  bundles: string[];
  /** Permalink of each linked listing, by listing id. */
  permalinks: Record<number, string>;
}

/** Every shop among the flagged listings. */
export async function listShops(db: Db): Promise<Shop[]> {
  const flagged = await db
    .selectDistinct({
      id: listings.id,
      permalink: listings.permalink,
      text: listings.text,
      links: listings.links,
      sourceId: listings.sourceId,
      bundle: bundles.id,
    })
    .from(listings)
    .innerJoin(detections, eq(detections.listingId, listings.id))
    .leftJoin(bundles, eq(bundles.listingId, listings.id))
    .where(eq(detections.flagged, true));
  if (!flagged.some((r) => r.sourceId !== null)) return [];
  // Subqueries, not id lists: 100 000 flagged listings would exceed Postgres's 65 535 parameters.
  const flaggedListings = db
    .selectDistinct({ id: detections.listingId })
    .from(detections)
    .where(eq(detections.flagged, true));
  const shopSources = db
    .selectDistinct({ id: listings.sourceId })
    .from(listings)
    .innerJoin(detections, eq(detections.listingId, listings.id))
    .where(eq(detections.flagged, true));
  const sourceUrl = new Map(
    (
      await db
        .select({ id: sources.id, url: sources.url })
        .from(sources)
        .where(inArray(sources.id, shopSources))
    ).map((s) => [s.id, s.url]),
  );
  const codes = await db
    .select({
      listingId: listingImages.listingId,
      permalink: listings.permalink,
      sourceId: listings.sourceId,
      text: qrCodes.text,
    })
    .from(listingImages)
    .innerJoin(listings, eq(listings.id, listingImages.listingId))
    .innerJoin(images, eq(images.id, listingImages.imageId))
    .innerJoin(qrCodes, eq(qrCodes.imageId, images.id))
    .where(inArray(listings.sourceId, shopSources));
  const pictures = await db
    .select({ listingId: listingImages.listingId, dhash: images.dhash })
    .from(listingImages)
    .innerJoin(images, eq(images.id, listingImages.imageId))
    .where(inArray(listingImages.listingId, flaggedListings));
  const byListing = new Map<
    number,
    { sourceId: number; permalink: string; text?: string; links: string[]; qr: string[] }
  >();
  for (const r of flagged) {
    if (r.sourceId !== null) {
      byListing.set(r.id, {
        sourceId: r.sourceId,
        permalink: r.permalink,
        text: r.text,
        links: r.links,
        qr: [],
      });
    }
  }
  for (const c of codes) {
    const entry = byListing.get(c.listingId) ?? {
      sourceId: c.sourceId!,
      permalink: c.permalink,
      links: [],
      qr: [],
    };
    entry.qr.push(c.text);
    byListing.set(c.listingId, entry);
  }
  const picturesOf = new Map<number, string[]>();
  for (const p of pictures)
    if (p.dhash) picturesOf.set(p.listingId, [...(picturesOf.get(p.listingId) ?? []), p.dhash]);
  const tag = (where: string) => (i: Identifier) => ({ ...i, where });
  const inputs = [...byListing].map(([listingId, l]) => {
    const url = sourceUrl.get(l.sourceId)!;
    const channel = identifierOfLink(url);
    return {
      listingId,
      sourceUrl: url,
      textSignature: l.text !== undefined ? minhash(l.text) : undefined,
      imageHashes: picturesOf.get(listingId),
      identifiers: [
        ...(channel ? [tag('channel')(channel)] : []),
        ...(l.text !== undefined ? identifiersIn(l.text, l.links).map(tag('text or link')) : []),
        ...l.qr.flatMap((q) => identifiersIn(q, [q])).map(tag('QR code')),
      ],
    };
  });
  const bundleOf = new Map(flagged.filter((r) => r.bundle).map((r) => [r.id, r.bundle!]));
  return linkShops(inputs)
    .map((shop) => ({
      ...shop,
      bundles: shop.listingIds.flatMap((id) => bundleOf.get(id) ?? []),
      permalinks: Object.fromEntries(shop.listingIds.map((id) => [id, byListing.get(id)!.permalink])),
    }))
    .sort((a, b) => b.listingIds.length - a.listingIds.length || (a.id < b.id ? -1 : 1));
}

/** One shop by id, or undefined. */
export async function getShop(db: Db, id: string): Promise<Shop | undefined> {
  return (await listShops(db)).find((s) => s.id === id);
}
