/** What `dozor status` shows: per stage queue depths, the last minute's rate, recent failures, live workers. */
import { STAGES, type Stage } from './names.ts';
import type { StageQueues } from './queues.ts';

/** One stage queue's state. */
export interface StageStatus {
  stage: Stage;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Jobs completed in the last 60 s. */
  perMinute: number;
  /** Worker processes listening on this queue. */
  workers: number;
}

/** The whole picture. */
export interface QueueStatus {
  stages: StageStatus[];
  /** Live worker processes (host:pid) and the stages each serves. */
  workers: { name: string; stages: Stage[] }[];
  /** The most recent failed jobs with their reasons. */
  failed: { stage: Stage; id: string; reason: string; attempts: number; at?: string }[];
}

/** Reads the queues' state from Redis. */
export async function queueStatus(queues: StageQueues, failedLimit = 10): Promise<QueueStatus> {
  const now = Date.now();
  const stages: StageStatus[] = [];
  const workers = new Map<string, Stage[]>();
  const failed: QueueStatus['failed'] = [];
  for (const stage of STAGES) {
    const q = queues.queue(stage);
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
    const perMinute = await queues.redis.zcount(
      `${queues.conn.prefix}:${stage}:completed`,
      now - 60_000,
      '+inf',
    );
    const live = await q.getWorkers();
    for (const w of live) {
      const name = w.name ?? w.id ?? '?';
      workers.set(name, [...(workers.get(name) ?? []), stage]);
    }
    stages.push({
      stage,
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
      perMinute,
      workers: live.length,
    });
    for (const job of await q.getFailed(0, failedLimit - 1)) {
      failed.push({
        stage,
        id: String(job.id),
        reason: (job.failedReason ?? '').split('\n')[0]!.slice(0, 300),
        attempts: job.attemptsMade,
        at: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
      });
    }
  }
  failed.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  return {
    stages,
    workers: [...workers].map(([name, s]) => ({ name, stages: s })),
    failed: failed.slice(0, failedLimit),
  };
}
