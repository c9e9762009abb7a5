/** Which sources a crawl starts from: all crawlable ones, or those whose schedule is due. */
import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sources } from '../../db/schema.ts';

const crawlable = and(
  eq(sources.enabled, true),
  eq(sources.approved, true),
  inArray(sources.kind, ['telegram', 'web']),
);

/** URLs of every enabled, approved, fetchable source. */
export async function crawlableSources(db: Db): Promise<string[]> {
  const rows = await db.select({ url: sources.url }).from(sources).where(crawlable).orderBy(sources.id);
  return rows.map((r) => r.url);
}

/** URLs of scheduled sources (`--every`) never crawled or last crawled at least their interval before `now`. */
export async function dueSources(db: Db, now = new Date()): Promise<string[]> {
  const rows = await db
    .select({ url: sources.url })
    .from(sources)
    .where(
      and(
        crawlable,
        isNotNull(sources.everySeconds),
        or(
          sql`${sources.lastCrawledAt} is null`,
          sql`${sources.lastCrawledAt} + make_interval(secs => ${sources.everySeconds}) <= ${now.toISOString()}::timestamptz`,
        ),
      ),
    )
    .orderBy(sources.id);
  return rows.map((r) => r.url);
}

/** Seconds until the next scheduled source is due (undefined when nothing is scheduled). */
export async function secondsUntilDue(db: Db, now = new Date()): Promise<number | undefined> {
  const [row] = await db
    .select({
      next: sql<
        string | null
      >`min(coalesce(${sources.lastCrawledAt} + make_interval(secs => ${sources.everySeconds}), ${now.toISOString()}::timestamptz))`,
    })
    .from(sources)
    .where(and(crawlable, isNotNull(sources.everySeconds)));
  if (!row?.next) return undefined;
  return Math.max(0, (new Date(row.next).getTime() - now.getTime()) / 1000);
}

/** The given seeds, or else every crawlable source; an error when there is neither. */
export async function seedsOrSources(db: Db, seeds: string[]): Promise<string[]> {
  if (seeds.length) return seeds;
  const all = await crawlableSources(db);
  if (all.length === 0)
    throw new Error('nothing to crawl: give --seed URL or add sources with: dozor sources add URL');
  return all;
}
