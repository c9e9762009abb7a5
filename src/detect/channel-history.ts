/** A source's recent scoring history, for channel-level scoring (a query, kept apart from the pure scorer). */
import { and, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { detections, listings } from '../../db/schema.ts';
import type { ChannelHistory } from './score.ts';

/**
 * Of the `window` most recent detections of other listings from source `sourceId`, how many were
 * flagged on their own evidence (score at or above `threshold`, so posts flagged only because of
 * their channel do not feed the channel's reputation).
 */
export async function channelHistory(
  db: Db,
  sourceId: number,
  listingId: number,
  window: number,
  threshold: number,
): Promise<ChannelHistory> {
  const rows = await db
    .select({ flagged: detections.flagged, score: detections.score })
    .from(detections)
    .innerJoin(listings, eq(detections.listingId, listings.id))
    .where(and(eq(listings.sourceId, sourceId), ne(listings.id, listingId)))
    .orderBy(desc(detections.id))
    .limit(window);
  return { flagged: rows.filter((r) => r.flagged && r.score >= threshold).length, total: rows.length };
}
