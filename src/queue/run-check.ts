/**
 * Finishing a distributed run, and the safety net for lost jobs. When no stage queue holds a job
 * (read in one Redis instant), a run is either finished (no frontier row left queued or claimed)
 * or some rows lost their job (e.g. Redis lost data): those rows get a fresh fetch job. One process
 * at a time runs the check (a Redis lock with expiry).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { frontier } from '../../db/schema.ts';
import { finishRun, unfinishedRun } from '../pipeline/frontier.ts';
import { jobIdOf } from './names.ts';
import { pendingCounts, type StageQueues } from './queues.ts';

/** The stages whose pending jobs keep a run open (not the scheduler's standing delayed jobs). */
const FLOW = ['fetch', 'extract', 'qr', 'score', 'capture'] as const;

/** What a check found. */
export type RunCheck =
  | { state: 'none' }
  | { state: 'busy'; runId: number; pending: number }
  | { state: 'requeued'; runId: number; rows: number }
  | { state: 'finished'; runId: number };

/** Checks the open run (once per `lockMs` across all processes); finishes it or re-adds lost jobs. */
export async function checkRun(db: Db, queues: StageQueues, everyMs = 2000): Promise<RunCheck> {
  const pending = async () => Object.values(await pendingCounts(queues, FLOW)).reduce((a, b) => a + b, 0);
  const first = await pending();
  if (first > 0) return { state: 'busy', runId: 0, pending: first };
  // at most one check per `everyMs` across all processes, and none while a crawl queues its seeds
  const rate = `${queues.conn.prefix}:run-check-rate`;
  if ((await queues.redis.set(rate, '1', 'PX', everyMs, 'NX')) !== 'OK')
    return { state: 'busy', runId: 0, pending: 0 };
  const token = `check-${process.pid}-${Math.random().toString(36).slice(2)}`;
  if ((await queues.redis.set(runLockKey(queues), token, 'PX', 30_000, 'NX')) !== 'OK') {
    return { state: 'busy', runId: 0, pending: 0 };
  }
  try {
    return await checkLocked(db, queues, pending);
  } finally {
    if ((await queues.redis.get(runLockKey(queues))) === token) await queues.redis.del(runLockKey(queues));
  }
}

async function checkLocked(db: Db, queues: StageQueues, pending: () => Promise<number>): Promise<RunCheck> {
  const open = await unfinishedRun(db);
  if (!open) return { state: 'none' };
  const lost = await db
    .select({ id: frontier.id })
    .from(frontier)
    .where(and(eq(frontier.runId, open.id), inArray(frontier.state, ['queued', 'claimed'])));
  // read again after the database: a job added meanwhile means the run is still moving
  const still = await pending();
  if (still > 0) return { state: 'busy', runId: open.id, pending: still };
  if (lost.length) {
    const stamp = Date.now().toString(36);
    for (const r of lost) {
      await queues.add('fetch', `${jobIdOf('fetch', r.id)}-r${stamp}`, { frontierId: r.id });
    }
    return { state: 'requeued', runId: open.id, rows: lost.length };
  }
  await finishRun(db, open.id);
  return { state: 'finished', runId: open.id };
}

/** The key that keeps run checks apart from each other and from a crawl that is queuing its seeds. */
export const runLockKey = (queues: StageQueues) => `${queues.conn.prefix}:run-lock`;

/** Holds the run lock while `fn` runs (waiting up to `waitMs` for a check to end), so no check finishes a run being seeded. */
export async function withRunLock<T>(queues: StageQueues, fn: () => Promise<T>, waitMs = 10_000): Promise<T> {
  const key = runLockKey(queues);
  const deadline = Date.now() + waitMs;
  while ((await queues.redis.set(key, 'seed', 'PX', 120_000, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error('another process holds the run lock; try again');
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    await queues.redis.del(key);
  }
}
