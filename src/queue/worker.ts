/**
 * `dozor worker`: BullMQ workers for the chosen stages, wired to the stage jobs. Checks Redis and
 * Postgres first (one clear line when either is unreachable), then runs until closed: close()
 * lets active jobs finish, then closes the queues, the browser and the database.
 */
import { hostname } from 'node:os';
import { type Job, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { frontier } from '../../db/schema.ts';
import { launchBrowser } from '../capture/browser.ts';
import type { Config } from '../config/config.ts';
import { markFailed } from '../pipeline/frontier.ts';
import { openRuntime } from '../pipeline/runtime.ts';
import { markSource } from '../pipeline/source-status.ts';
import { browserKeeper } from './browser-keeper.ts';
import { checkRedis, queueConnection, redisClient } from './connection.ts';
import { forQueue, isLastTry } from './errors.ts';
import { useSharedPoliteness } from './fetch-services.ts';
import type { Stage } from './names.ts';
import { openQueues } from './queues.ts';
import { checkRun } from './run-check.ts';
import { scheduleJob, syncSchedules } from './schedule.ts';
import { captureJob, extractJob, fetchJob, type JobDeps, qrJob, scoreJob } from './stage-jobs.ts';

/** Options of a worker process. */
export interface WorkerOptions {
  stages: Stage[];
  /** Jobs run at once per stage (captures: one at a time per browser). @default 4 */
  concurrency?: number;
  /** Job lock in ms: a crashed worker's jobs go back to the queue after about this long. Env DOZOR_JOB_LOCK_MS. @default 30000 */
  lockMs?: number;
  /** How often this worker looks for a finished run or lost jobs, in ms (0: never). @default 1000 */
  checkEveryMs?: number;
  log?: (message: string) => void;
}

/** A running worker process. */
export interface RunningWorker {
  /** Waits for active jobs to finish (up to `graceMs`, default 60 s), then closes everything. */
  close: (graceMs?: number) => Promise<void>;
  /** Completed and failed jobs so far. */
  counts: { completed: number; failed: number };
}

type Handler = (d: JobDeps, data: never) => Promise<string>;
const handlers: Record<Stage, Handler> = {
  fetch: fetchJob as Handler,
  extract: extractJob as Handler,
  qr: qrJob as Handler,
  score: scoreJob as Handler,
  capture: captureJob as Handler,
  schedule: scheduleJob as Handler,
};

/** Starts workers for `opts.stages`; throws one line when Redis or Postgres cannot be reached. */
export async function startWorker(config: Config, opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const conn = queueConnection(config.redisUrl);
  await checkRedis(conn);
  const rt = await openRuntime(config, { log });
  const queues = openQueues(conn);
  const limiterRedis = redisClient(conn);
  useSharedPoliteness(rt.ctx.config, limiterRedis, conn.prefix);
  const browser = browserKeeper(() =>
    launchBrowser({
      executablePath: config.chromium,
      allowPrivate: config.allowPrivate,
      allow: config.allowAddresses,
      userAgent: config.userAgent,
    }),
  );
  const deps: JobDeps = {
    ctx: rt.ctx,
    queues,
    ensureBrowser: async () => {
      rt.ctx.browser = await browser.get();
    },
  };
  const counts = { completed: 0, failed: 0 };
  const lockMs = opts.lockMs ?? 30_000;
  const n = Math.max(1, opts.concurrency ?? 4);
  const name = `${hostname()}:${process.pid}`;
  const clients = opts.stages.map(() => redisClient(conn)); // BullMQ leaves given clients open: closed below
  const workers = opts.stages.map((stage, i) => {
    const w = new Worker(stage, (job: Job) => runJob(deps, stage, job), {
      connection: clients[i]!,
      prefix: conn.prefix,
      name,
      concurrency: stage === 'capture' || stage === 'schedule' ? 1 : n,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.round(lockMs / 2)),
      maxStalledCount: 3,
    });
    w.on('completed', () => counts.completed++);
    w.on('failed', (job, err) => {
      counts.failed++;
      const tries = `${job?.attemptsMade ?? '?'}/${job?.opts.attempts ?? '?'}`;
      // drizzle wraps database errors as "Failed query: <sql>"; the cause says what went wrong
      const shown = /^Failed query/.test(err.message) && err.cause instanceof Error ? err.cause : err;
      log(`${stage} ${job?.id}: ${shown.message.split('\n')[0]} (try ${tries})`);
    });
    w.on('error', () => {}); // connection errors: BullMQ reconnects and resumes
    return w;
  });
  const sync = () =>
    syncSchedules(rt.ctx.db, queues).catch((err) => log(`schedules: ${(err as Error).message}`));
  if (opts.stages.includes('schedule')) await sync();
  const syncTimer = opts.stages.includes('schedule') ? setInterval(sync, 60_000) : undefined;
  const every = opts.checkEveryMs ?? 1000;
  let checking = false;
  const timer =
    every > 0
      ? setInterval(() => {
          if (checking) return;
          checking = true;
          checkRun(rt.ctx.db, queues)
            .then((r) => {
              if (r.state === 'requeued')
                log(`run ${r.runId}: re-queued ${r.rows} row(s) whose jobs were lost`);
              if (r.state === 'finished') log(`run ${r.runId} finished`);
            })
            .catch(() => {}) // Redis or Postgres away: the next tick tries again
            .finally(() => {
              checking = false;
            });
        }, every)
      : undefined;
  return {
    counts,
    close: async (graceMs = 60_000) => {
      if (timer) clearInterval(timer);
      if (syncTimer) clearInterval(syncTimer);
      // active jobs may finish within the grace period; the deadline timer also keeps the process
      // alive until every step is done (a client closing after a Redis restart can wait on nothing)
      const deadline = Date.now() + graceMs;
      let keepAlive: NodeJS.Timeout | undefined;
      const bounded = (step: Promise<unknown>, what: string, ms = deadline - Date.now()) =>
        Promise.race([
          step.catch(() => {}),
          new Promise<void>((resolve) => {
            keepAlive = setTimeout(
              () => {
                log(`stopping: ${what} did not finish in time`);
                resolve();
              },
              Math.max(ms, 1000),
            );
          }),
        ]).finally(() => clearTimeout(keepAlive));
      const finished = await bounded(
        Promise.all(workers.map((w) => w.close())).then(() => true),
        'active jobs (they go back to the queue)',
      );
      if (finished !== true)
        await bounded(Promise.all(workers.map((w) => w.close(true))), 'forced close', 5000);
      await bounded(queues.close(), 'closing the queues', 5000);
      for (const c of clients) c.disconnect();
      limiterRedis.disconnect();
      await bounded(browser.close(), 'closing the browser', 10_000);
      await bounded(rt.close(), 'closing the database', 5000);
    },
  };
}

/** Runs one job; on its last try, a fetch or extract failure marks the frontier row failed. */
async function runJob(d: JobDeps, stage: Stage, job: Job): Promise<string> {
  try {
    return await handlers[stage](d, job.data as never);
  } catch (err) {
    const e = forQueue(err);
    if ((stage === 'fetch' || stage === 'extract') && isLastTry(e, job.attemptsMade, job.opts.attempts)) {
      await failRow(d, (job.data as { frontierId: number }).frontierId, err).catch(() => {});
    }
    throw e;
  }
}

async function failRow(d: JobDeps, id: number, err: unknown) {
  const [row] = await d.ctx.db.select().from(frontier).where(eq(frontier.id, id));
  if (!row || row.state === 'done') return;
  await markFailed(d.ctx.db, row, err);
  if (row.pageNo === 0) await markSource(d.ctx.db, row.sourceId, { ok: false, error: err });
}
