/**
 * Scheduled crawls in distributed mode: each source with `--every` gets a BullMQ job scheduler
 * (upsertJobScheduler: one standing job per source, however many workers sync it), whose jobs
 * start a run of that source.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sources } from '../../db/schema.ts';
import type { ScheduleJob } from './names.ts';
import type { StageQueues } from './queues.ts';
import type { JobDeps } from './stage-jobs.ts';
import { startRun } from './start-run.ts';

const schedulerId = (sourceId: number) => `source-${sourceId}`;

/** Makes the schedulers match the sources: one per enabled source with an interval; others removed. */
export async function syncSchedules(
  db: Db,
  queues: StageQueues,
): Promise<{ scheduled: number; removed: number }> {
  const due = await db
    .select({ id: sources.id, every: sources.everySeconds })
    .from(sources)
    .where(and(isNotNull(sources.everySeconds), eq(sources.enabled, true), eq(sources.approved, true)));
  const q = queues.queue('schedule');
  const wanted = new Set(due.map((s) => schedulerId(s.id)));
  for (const s of due) {
    const data: ScheduleJob = { sourceId: s.id };
    await q.upsertJobScheduler(schedulerId(s.id), { every: s.every! * 1000 }, { name: 'schedule', data });
  }
  let removed = 0;
  for (const existing of await q.getJobSchedulers()) {
    const id = existing.key;
    if (id.startsWith('source-') && !wanted.has(id)) {
      await q.removeJobScheduler(id);
      removed++;
    }
  }
  return { scheduled: due.length, removed };
}

/** schedule: starts (or joins) a run crawling the source, with the default options. */
export async function scheduleJob(d: JobDeps, job: ScheduleJob): Promise<string> {
  const [source] = await d.ctx.db.select().from(sources).where(eq(sources.id, job.sourceId));
  if (!source?.enabled || !source.approved || (source.kind !== 'telegram' && source.kind !== 'web')) {
    return 'skipped: source not crawlable';
  }
  const run = await startRun(d.ctx, d.queues, [source.url], { depth: 2, maxPages: 200, noCapture: false });
  return `run ${run.runId}: queued ${run.queued}`;
}
