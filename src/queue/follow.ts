/**
 * `dozor crawl` in distributed mode: queue the seeds, then follow the run through QueueEvents
 * (progress on every finished job) until it is finished, and count the summary from the database.
 */
import { QueueEvents } from 'bullmq';
import { eq } from 'drizzle-orm';
import { crawlRuns } from '../../db/schema.ts';
import type { StageContext } from '../pipeline/context.ts';
import type { CrawlSummary } from '../pipeline/crawl.ts';
import { redisClient } from './connection.ts';
import type { StageQueues } from './queues.ts';
import { checkRun } from './run-check.ts';
import { runSummary } from './summary.ts';

/** Options of following a run. */
export interface FollowOptions {
  /** Called with the jobs finished so far (at most every 200 ms). */
  onProgress?: (p: { completed: number; failed: number; seconds: number }) => void;
  signal?: AbortSignal;
  /** How often the run is checked, in ms. @default 500 */
  pollMs?: number;
}

/** Waits until run `runId` is finished (workers do the work; this process also runs the finishing check). */
export async function followRun(
  ctx: StageContext,
  queues: StageQueues,
  runId: number,
  opts: FollowOptions = {},
): Promise<CrawlSummary> {
  const started = Date.now();
  const progress = { completed: 0, failed: 0 };
  const clients: ReturnType<typeof redisClient>[] = [];
  const events = (['fetch', 'extract', 'qr', 'score', 'capture'] as const).map((stage) => {
    const client = redisClient(queues.conn);
    clients.push(client);
    const e = new QueueEvents(stage, { connection: client, prefix: queues.conn.prefix });
    e.on('error', () => {});
    e.on('completed', () => progress.completed++);
    e.on('failed', () => progress.failed++);
    return e;
  });
  let last = 0;
  try {
    while (!opts.signal?.aborted) {
      if (opts.onProgress && Date.now() - last >= 200) {
        last = Date.now();
        opts.onProgress({ ...progress, seconds: (Date.now() - started) / 1000 });
      }
      const finished = await isFinished(ctx, queues, runId).catch(() => false); // outages: keep waiting
      if (finished) break;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
    }
  } finally {
    await Promise.all(events.map((e) => e.close().catch(() => {})));
    for (const c of clients) c.disconnect(); // BullMQ leaves given clients open
  }
  return runSummary(ctx.db, runId, (Date.now() - started) / 1000);
}

async function isFinished(ctx: StageContext, queues: StageQueues, runId: number): Promise<boolean> {
  await checkRun(ctx.db, queues);
  const [run] = await ctx.db
    .select({ finishedAt: crawlRuns.finishedAt })
    .from(crawlRuns)
    .where(eq(crawlRuns.id, runId));
  return Boolean(run?.finishedAt);
}
