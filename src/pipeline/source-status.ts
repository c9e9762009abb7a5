/**
 * A source's state after a crawl of its first page: ok, gone (404/410, or a channel that had a
 * preview and lost it: banned or deleted), or failing for now. Sources are settings, not evidence,
 * so they are updated in place.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Source, sources } from '../../db/schema.ts';
import { FetchError } from '../fetch/errors.ts';

/** What the crawl saw of a source. */
export type SourceOutcome = { ok: true; preview: boolean } | { ok: false; error: unknown };

/** Records the outcome on the source row (and the channel header, when the page showed one). */
export async function markSource(
  db: Db,
  sourceId: number,
  outcome: SourceOutcome,
  channel?: Source['channel'],
): Promise<void> {
  const now = new Date();
  const header = channel ? { channel } : {};
  if (outcome.ok && outcome.preview) {
    await db
      .update(sources)
      .set({ status: 'ok', lastCrawledAt: now, lastOkAt: now, offlineSince: null, ...header })
      .where(eq(sources.id, sourceId));
    return;
  }
  const gone = outcome.ok
    ? 'no_preview'
    : outcome.error instanceof FetchError && (outcome.error.status === 404 || outcome.error.status === 410)
      ? 'gone'
      : undefined;
  if (!gone) {
    await db
      .update(sources)
      .set({ status: 'error', lastCrawledAt: now, ...header })
      .where(eq(sources.id, sourceId));
    return;
  }
  // A source that was up and now is gone is offline since now; one never seen up just has the status.
  await db
    .update(sources)
    .set({
      status: gone,
      lastCrawledAt: now,
      ...header,
      offlineSince: sql`case when ${sources.lastOkAt} is not null then coalesce(${sources.offlineSince}, ${now.toISOString()}::timestamptz) end`,
    })
    .where(eq(sources.id, sourceId));
}
