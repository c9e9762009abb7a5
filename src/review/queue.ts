/**
 * The triage queue in SQL: a bundle's status is derived from the latest decision of each reviewer
 * (the same rule as status.ts), so the next bundle to review is found with one indexed query
 * instead of loading every bundle and review.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { BundleStatus } from './status.ts';

/** Runs a raw query on either engine and returns its rows. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A lateral join giving, for bundle `b`, the counts of each reviewer's latest decision (`c` confirm,
 * `x` dismiss, `e` escalate, `n` reviewers) and whether `reviewer` is among them (`mine`).
 */
export function decisionCounts(reviewer: string | null): SQL {
  return sql`left join lateral (
    select count(*) filter (where d = 'confirm') as c, count(*) filter (where d = 'dismiss') as x,
      count(*) filter (where d = 'escalate') as e, count(*) as n, coalesce(bool_or(rv = ${reviewer}), false) as mine
    from (select distinct on (r.reviewer) r.reviewer as rv, r.decision as d from reviews r
          where r.bundle_id = b.id order by r.reviewer, r.id desc) latest
  ) s on true`;
}

/** The status expression over `s` from decisionCounts (mirrors statusOf in status.ts). */
export function statusExpr(required: number): SQL {
  return sql`(case when s.e > 0 or (s.c > 0 and s.x > 0) then 'escalated'
    when s.c >= ${required} then 'confirmed' when s.x >= ${required} then 'dismissed'
    when s.n > 0 then 'in_review' else 'new' end)`;
}

/** Where to look from: the newest first, or after/before a given bundle in queue order. */
export type QueueCursor = { after?: string; before?: string };

/**
 * The next bundle `reviewer` has not decided and that is still open (new or in review), newest
 * first (fresh evidence first: shops move and vanish). `after` moves to older ones, `before` to newer.
 */
export async function nextForReview(
  db: Db,
  reviewer: string,
  required: number,
  cursor: QueueCursor = {},
): Promise<string | undefined> {
  const pivot = cursor.after ?? cursor.before;
  const older = cursor.before === undefined;
  const where = pivot
    ? older
      ? sql`and (b.created_at, b.id) < (select created_at, id from bundles where id = ${pivot})`
      : sql`and (b.created_at, b.id) > (select created_at, id from bundles where id = ${pivot})`
    : sql``;
  const order = older ? sql`b.created_at desc, b.id desc` : sql`b.created_at asc, b.id asc`;
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`select b.id from bundles b ${decisionCounts(reviewer)}
        where not s.mine and s.e = 0 and not (s.c > 0 and s.x > 0) and s.c < ${required} and s.x < ${required}
        ${where} order by ${order} limit 1`,
  );
  return rows[0]?.id;
}

/** A bundle row with its derived status, for lists. */
export interface StatusRow {
  id: string;
  status: BundleStatus;
  permalink: string;
  source: string | null;
  verdict: string;
  score: number;
  created_at: string;
}

/** Bundles (only those with `status`, if given), newest first, at most `limit`. */
export async function bundlesWithStatus(
  db: Db,
  required: number,
  opts: { status?: BundleStatus; limit?: number } = {},
): Promise<StatusRow[]> {
  const filter = opts.status ? sql`where ${statusExpr(required)} = ${opts.status}` : sql``;
  const rows = await rowsOf<StatusRow & { created_at: string | Date }>(
    db,
    sql`select b.id, ${statusExpr(required)} as status, l.permalink, src.url as source, d.verdict, d.score,
          b.created_at from bundles b ${decisionCounts(null)}
        join listings l on l.id = b.listing_id join detections d on d.id = b.detection_id
        left join sources src on src.id = l.source_id
        ${filter} order by b.created_at desc, b.id desc limit ${opts.limit ?? 200}`,
  );
  return rows.map((r) => ({
    ...r,
    score: Number(r.score),
    created_at: new Date(r.created_at).toISOString(),
  }));
}
