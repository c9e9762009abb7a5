/**
 * The score stage for a whole page at once: the same scoring and channel history as
 * detect/score-stage.ts, with one query for the page's existing detections, one for the channel's
 * recent history (carried forward in memory as each listing is scored, in page order) and one
 * insert (returning the rows), instead of four queries per listing. Idempotent on (listing, rule-pack version).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { jsonParam, rawQuery, valuesList } from '../../db/raw.ts';
import { type Detection, detections, listings } from '../../db/schema.ts';
import { scoreText } from '../detect/score.ts';
import type { StageContext } from './context.ts';
import type { RecentScores } from './post-events.ts';

/** What the caller already knows of the listings, so it is not read back. */
export interface KnownListings {
  /** The listings' texts. */
  texts?: ReadonlyMap<number, string>;
  /** Listings stored just now in the caller's transaction: none has a detection yet. */
  fresh?: ReadonlySet<number>;
  /** The source's last scores, most recent first, read in the caller's transaction (else read here). */
  recent?: RecentScores;
}

/**
 * Scores the listings `listingIds` (all from source `sourceId`) and returns their detections, in
 * order. `known` may carry the listings' texts and which are new (else they are read).
 */
export async function scorePage(
  ctx: StageContext,
  sourceId: number | null,
  listingIds: number[],
  known: KnownListings = {},
): Promise<Detection[]> {
  if (listingIds.length === 0) return [];
  const version = ctx.rules.version;
  const byListing = new Map<number, Detection>();
  const { texts, fresh } = known;
  const maybeScored = fresh ? listingIds.filter((id) => !fresh.has(id)) : listingIds;
  if (maybeScored.length) {
    const existing = await ctx.db
      .select()
      .from(detections)
      .where(and(inArray(detections.listingId, maybeScored), eq(detections.rulePackVersion, version)));
    for (const d of existing) byListing.set(d.listingId, d);
  }
  const todo = listingIds.filter((id) => !byListing.has(id));
  if (todo.length) {
    const textOf =
      texts && todo.every((id) => texts.has(id))
        ? texts
        : new Map(
            (
              await ctx.db
                .select({ id: listings.id, text: listings.text })
                .from(listings)
                .where(inArray(listings.id, todo))
            ).map((t) => [t.id, t.text]),
          );
    const { window, threshold } = { window: ctx.rules.channel.window, threshold: ctx.rules.threshold };
    // most recent first, as channelHistory() sees it
    const recent =
      sourceId === null
        ? undefined
        : known.recent
          ? [...known.recent]
          : await rawQuery<{ flagged: boolean; score: number }>(
              ctx.db,
              // ordered by the source's listings (index listings_source_id), so a source with no history
              // does not scan every detection of every source
              `select d.flagged, d.score from detections d join listings l on d.listing_id = l.id
              where l.source_id = $1 order by l.id desc, d.id desc limit $2`,
              [sourceId, window],
            );
    const rows = [...new Set(todo)].map((id) => {
      const history = recent && {
        flagged: recent.filter((r) => r.flagged && r.score >= threshold).length,
        total: recent.length,
      };
      const { flagged, verdict, score, matches } = scoreText(ctx.rules, textOf.get(id) ?? '', history);
      if (recent) {
        recent.unshift({ flagged, score });
        if (recent.length > window) recent.pop();
      }
      return { listingId: id, rulePackVersion: version, flagged, verdict, score, matches };
    });
    const inserted = await rawQuery<Detection>(
      ctx.db,
      `insert into detections (listing_id, rule_pack_version, flagged, verdict, score, matches)
       values ${valuesList(rows.length, 6)} on conflict do nothing
       returning id, listing_id as "listingId", rule_pack_version as "rulePackVersion", verdict, score,
                 flagged, matches, created_at as "createdAt"`,
      rows.flatMap((r) => [
        r.listingId,
        r.rulePackVersion,
        r.flagged,
        r.verdict,
        r.score,
        jsonParam(r.matches),
      ]),
    );
    for (const d of inserted) byListing.set(d.listingId, d);
    // another worker scored some of them in the meantime: read theirs
    const raced = todo.filter((id) => !byListing.has(id));
    if (raced.length) {
      const stored = await ctx.db
        .select()
        .from(detections)
        .where(and(inArray(detections.listingId, raced), eq(detections.rulePackVersion, version)));
      for (const d of stored) byListing.set(d.listingId, d);
    }
  }
  return listingIds.map((id) => byListing.get(id)!);
}
