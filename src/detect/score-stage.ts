/**
 * Stage: score a stored listing and record the detection with the rule-pack version. A listing
 * from a source whose recent posts keep being flagged is scored with the pack's channel policy.
 */
import { and, eq } from 'drizzle-orm';
import { detections, listings } from '../../db/schema.ts';
import type { StageContext } from '../pipeline/context.ts';
import { channelHistory } from './channel-history.ts';
import { scoreText } from './score.ts';

/** Scores listing `listingId` once per rule-pack version; returns the detection. */
export async function scoreStage(ctx: StageContext, input: { listingId: number }) {
  const [listing] = await ctx.db.select().from(listings).where(eq(listings.id, input.listingId));
  if (!listing) throw new Error(`listing ${input.listingId} does not exist`);
  const { window, threshold } = { window: ctx.rules.channel.window, threshold: ctx.rules.threshold };
  const history =
    listing.sourceId === null
      ? undefined
      : await channelHistory(ctx.db, listing.sourceId, listing.id, window, threshold);
  const { flagged, verdict, score, matches } = scoreText(ctx.rules, listing.text, history);
  await ctx.db
    .insert(detections)
    .values({ listingId: listing.id, rulePackVersion: ctx.rules.version, flagged, verdict, score, matches })
    .onConflictDoNothing();
  const [row] = await ctx.db
    .select()
    .from(detections)
    .where(and(eq(detections.listingId, listing.id), eq(detections.rulePackVersion, ctx.rules.version)));
  return row!;
}
