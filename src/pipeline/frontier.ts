/**
 * The crawl frontier in the database: plain functions to open a run, queue URLs, claim one, and
 * mark it done or failed. Rows are claimed by id, so a queue job (distributed mode) can carry just
 * a frontier id; a crawl killed at any point resumes from these rows without refetching stored pages.
 */
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawQuery } from '../../db/raw.ts';
import { crawlRuns, type FrontierRow, frontier, pages, type Source } from '../../db/schema.ts';

/** The columns of a frontier row, named as FrontierRow names them (for raw statements). */
export const FRONTIER_COLUMNS = `id, run_id as "runId", url, source_id as "sourceId", depth, page_no as "pageNo",
  newest_post_id as "newestPostId", state, attempts, last_error as "lastError", page_id as "pageId",
  created_at as "createdAt", updated_at as "updatedAt"`;

/** What to queue. */
export interface FrontierItem {
  url: string;
  sourceId: number;
  depth: number;
  /** Telegram: which page back from the channel's newest. @default 0 */
  pageNo?: number;
  /** Telegram: the newest post id of the channel's first page in this run. */
  newestPostId?: number;
}

/** The newest run that has not finished, if any. */
export async function unfinishedRun(db: Db): Promise<{ id: number } | undefined> {
  const [open] = await db
    .select({ id: crawlRuns.id })
    .from(crawlRuns)
    .where(isNull(crawlRuns.finishedAt))
    .orderBy(desc(crawlRuns.id))
    .limit(1);
  return open;
}

/** The unfinished run, if a crawl was interrupted (its claimed rows go back to the queue), else a new run. */
export async function openRun(db: Db): Promise<{ runId: number; resumed: boolean }> {
  const open = await unfinishedRun(db);
  if (open) {
    await requeueClaimed(db, open.id);
    return { runId: open.id, resumed: true };
  }
  const [run] = await db.insert(crawlRuns).values({}).returning({ id: crawlRuns.id });
  return { runId: run!.id, resumed: false };
}

/** Marks a run finished; the next crawl starts a new one. */
export async function finishRun(db: Db, runId: number): Promise<void> {
  await db.update(crawlRuns).set({ finishedAt: new Date() }).where(eq(crawlRuns.id, runId));
}

/** Rows claimed by a worker that died go back to `queued`. */
export async function requeueClaimed(db: Db, runId: number): Promise<number> {
  const rows = await db
    .update(frontier)
    .set({ state: 'queued', updatedAt: new Date() })
    .where(and(eq(frontier.runId, runId), eq(frontier.state, 'claimed')))
    .returning({ id: frontier.id });
  return rows.length;
}

/** Queues `item` in the run; returns its new row id, or undefined when the URL is already in the run. */
export async function enqueue(db: Db, runId: number, item: FrontierItem): Promise<number | undefined> {
  const [row] = await rawQuery<{ id: number }>(
    db,
    `insert into frontier (run_id, url, source_id, depth, page_no, newest_post_id)
     values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning id`,
    [runId, item.url, item.sourceId, item.depth, item.pageNo ?? 0, item.newestPostId ?? null],
  );
  return row?.id;
}

/** Claims the oldest queued row of the run (skipping rows other workers hold); undefined when none is queued. */
export async function claimNext(db: Db, runId: number): Promise<FrontierRow | undefined> {
  const [row] = await rawQuery<FrontierRow>(
    db,
    `update frontier set state = 'claimed', attempts = attempts + 1, updated_at = $2
      where id = (select id from frontier where run_id = $1 and state = 'queued'
                  order by id limit 1 for update skip locked)
      returning ${FRONTIER_COLUMNS}`,
    [runId, new Date().toISOString()],
  );
  return row;
}

/** What the crawl reads of a claimed row's source. */
export type RowSource = Pick<Source, 'render' | 'respectRobots' | 'newestPostId'>;

/** claimNext, with the settings of the row's source read in the same statement. */
export async function claimNextWithSource(
  db: Db,
  runId: number,
): Promise<{ row: FrontierRow; source: RowSource } | undefined> {
  const [r] = await rawQuery<FrontierRow & { src: RowSource }>(
    db,
    `with claimed as (
       update frontier set state = 'claimed', attempts = attempts + 1, updated_at = $2
        where id = (select id from frontier where run_id = $1 and state = 'queued'
                    order by id limit 1 for update skip locked)
        returning ${FRONTIER_COLUMNS})
     select claimed.*, json_build_object('render', s.render, 'respectRobots', s.respect_robots,
                                         'newestPostId', s.newest_post_id) as src
       from claimed join sources s on s.id = claimed."sourceId"`,
    [runId, new Date().toISOString()],
  );
  if (!r) return undefined;
  const { src, ...row } = r;
  return { row, source: src };
}

/** Claims row `id` if it is queued (a queue job carrying a frontier id); undefined when someone else has it. */
export async function claimById(db: Db, id: number): Promise<FrontierRow | undefined> {
  const [row] = await db
    .update(frontier)
    .set({ state: 'claimed', attempts: sql`${frontier.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(frontier.id, id), eq(frontier.state, 'queued')))
    .returning();
  return row;
}

/** Remembers the stored page of a claimed row, so a resumed crawl does not fetch it again. */
export async function recordPage(db: Db, id: number, pageId: number): Promise<void> {
  await rawQuery(db, 'update frontier set page_id = $2, updated_at = $3 where id = $1', [
    id,
    pageId,
    new Date().toISOString(),
  ]);
}

/**
 * Finishes a claimed row's page in one statement: marks it done (`done`) or records its stored
 * page (`pageId`), and queues its older page (`older`). Returns the older page's new row id,
 * undefined when it was already in the run (or none was given).
 */
export async function finishRow(
  db: Db,
  id: number,
  opts: { done: boolean; pageId?: number; older?: { runId: number; item: FrontierItem } },
): Promise<number | undefined> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const parts: string[] = [];
  if (opts.done)
    parts.push(`upd as (update frontier set state = 'done', last_error = null, updated_at = ${p(new Date().toISOString())},
                        page_id = coalesce(${p(opts.pageId ?? null)}::integer, page_id) where id = ${p(id)})`);
  else if (opts.pageId !== undefined)
    parts.push(
      `upd as (update frontier set page_id = ${p(opts.pageId)}, updated_at = ${p(new Date().toISOString())} where id = ${p(id)})`,
    );
  const o = opts.older;
  if (o) {
    const { item } = o;
    const values = [
      o.runId,
      item.url,
      item.sourceId,
      item.depth,
      item.pageNo ?? 0,
      item.newestPostId ?? null,
    ];
    parts.push(`older as (insert into frontier (run_id, url, source_id, depth, page_no, newest_post_id)
                          values (${values.map(p).join(', ')}) on conflict do nothing returning id)`);
  }
  if (parts.length === 0) return undefined;
  const [row] = await rawQuery<{ olderId: number | null }>(
    db,
    `with ${parts.join(', ')} select ${o ? '(select id from older)' : 'null::integer'} as "olderId"`,
    params,
  );
  return row?.olderId ?? undefined;
}

/**
 * The page stored for a row: the one recorded on it, or (when the process died between storing the
 * page and recording it) a page of the same URL fetched since the run started.
 */
export async function storedPageOf(db: Db, row: Pick<FrontierRow, 'runId' | 'url' | 'pageId'>) {
  if (row.pageId !== null) return row.pageId;
  const [found] = await db
    .select({ id: pages.id })
    .from(pages)
    .innerJoin(crawlRuns, eq(crawlRuns.id, row.runId))
    .where(and(eq(pages.url, row.url), sql`${pages.fetchedAt} >= ${crawlRuns.startedAt}`))
    .orderBy(desc(pages.id))
    .limit(1);
  return found?.id ?? null;
}

/** Marks a row done (recording its stored page too, when given). */
export async function markDone(db: Db, id: number, pageId?: number): Promise<void> {
  await rawQuery(
    db,
    `update frontier set state = 'done', last_error = null, updated_at = $3,
            page_id = coalesce($2, page_id) where id = $1`,
    [id, pageId ?? null, new Date().toISOString()],
  );
}

/**
 * Marks a row failed, or queues it again when `retry` is set and it has been tried fewer than
 * `maxAttempts` times. Returns the new state.
 */
export async function markFailed(
  db: Db,
  row: Pick<FrontierRow, 'id' | 'attempts'>,
  error: unknown,
  opts: { retry?: boolean; maxAttempts?: number } = {},
): Promise<'queued' | 'failed'> {
  const state = opts.retry && row.attempts < (opts.maxAttempts ?? 3) ? 'queued' : 'failed';
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  await db
    .update(frontier)
    .set({ state, lastError: message, updatedAt: new Date() })
    .where(eq(frontier.id, row.id));
  return state;
}

/** How many rows the run holds in each state. */
export async function runCounts(db: Db, runId: number): Promise<Record<FrontierRow['state'], number>> {
  const rows = await db
    .select({ state: frontier.state, n: count() })
    .from(frontier)
    .where(eq(frontier.runId, runId))
    .groupBy(frontier.state);
  const out = { queued: 0, claimed: 0, done: 0, failed: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}

/** True when an interrupted run is waiting to be resumed. */
export async function hasOpenRun(db: Db): Promise<boolean> {
  const [open] = await db
    .select({ id: crawlRuns.id })
    .from(crawlRuns)
    .where(isNull(crawlRuns.finishedAt))
    .limit(1);
  return open !== undefined;
}
