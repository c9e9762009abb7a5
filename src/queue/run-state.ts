/**
 * A distributed run's state in the database: its options (read by every worker) and its page
 * budget, enforced under a per-run advisory lock so concurrent workers never exceed `maxPages`.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { frontier, runOptions } from '../../db/schema.ts';
import type { FrontierItem } from '../pipeline/frontier.ts';

/** What a distributed crawl was asked to do (the embedded crawl's options, as data). */
export interface RunOptions {
  /** @default 2 */
  depth: number;
  /** @default 200 */
  maxPages: number;
  /** Older pages per channel; unlimited when unset. */
  pages?: number;
  /** ISO date: do not page back past posts older than this. */
  since?: string;
  /** Skip screenshots and bundles. */
  noCapture: boolean;
}

/** Records the run's options; the first crawl to open a run decides them. Returns the options in force. */
export async function saveRunOptions(db: Db, runId: number, opts: RunOptions): Promise<RunOptions> {
  await db
    .insert(runOptions)
    .values({ runId, options: { ...opts } })
    .onConflictDoNothing();
  return loadRunOptions(db, runId);
}

/** The run's options (defaults when a run has none recorded, e.g. one started by the embedded crawler). */
export async function loadRunOptions(db: Db, runId: number): Promise<RunOptions> {
  const [row] = await db.select().from(runOptions).where(eq(runOptions.runId, runId));
  return { depth: 2, maxPages: 200, noCapture: false, ...(row?.options as Partial<RunOptions>) };
}

/**
 * Queues `item` in the run when the page budget allows: its new frontier id, `dup` (already in the
 * run) or `full` (the run holds `maxPages` rows).
 */
export async function queueRow(
  db: Db,
  runId: number,
  item: FrontierItem,
  maxPages: number,
): Promise<number | 'dup' | 'full'> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(72658, ${runId})`);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(frontier)
      .where(eq(frontier.runId, runId));
    if (n >= maxPages) return 'full' as const;
    const [row] = await tx
      .insert(frontier)
      .values({ runId, ...item })
      .onConflictDoNothing()
      .returning({ id: frontier.id });
    return row?.id ?? ('dup' as const);
  });
}

/**
 * Takes row `id` for a job: queued rows, and rows a crashed worker left claimed (the queue's lock,
 * not the row, says who holds it). Undefined when the row is done, failed or gone.
 */
export async function takeRow(db: Db, id: number) {
  const [row] = await db
    .update(frontier)
    .set({ state: 'claimed', attempts: sql`${frontier.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(frontier.id, id), sql`${frontier.state} in ('queued', 'claimed')`))
    .returning();
  return row;
}
