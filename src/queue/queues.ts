/**
 * The stage queues on Redis: one BullMQ queue per stage, shared default job options (retries with
 * exponential backoff, bounded history), and an atomic "is anything pending?" snapshot.
 */
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type QueueConnection, redisClient } from './connection.ts';
import { STAGES, type Stage } from './names.ts';

/** Tries per job (the first included) and the first backoff; doubled each retry. */
export const JOB_ATTEMPTS = 10;
export const JOB_BACKOFF_MS = 1000;

/** Every job: retried with backoff; completed ids kept a day (so re-adding them is a no-op), failures a week. */
export const defaultJobOptions: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
  removeOnComplete: { age: 24 * 3600, count: 200_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The open stage queues and the Redis client they share. */
export interface StageQueues {
  conn: QueueConnection;
  redis: Redis;
  queue: (stage: Stage) => Queue;
  /** Adds a job with a derived id (a no-op when that id exists). */
  add: (stage: Stage, jobId: string, data: object) => Promise<void>;
  close: () => Promise<void>;
}

/** Opens the stage queues (lazily, one per stage). */
export function openQueues(conn: QueueConnection): StageQueues {
  const redis = redisClient(conn);
  const open = new Map<Stage, Queue>();
  const queue = (stage: Stage) => {
    let q = open.get(stage);
    if (!q) {
      q = new Queue(stage, { connection: redis, prefix: conn.prefix, defaultJobOptions });
      q.on('error', () => {}); // a Redis restart: commands wait and resume
      open.set(stage, q);
    }
    return q;
  };
  return {
    conn,
    redis,
    queue,
    add: async (stage, jobId, data) => {
      await queue(stage).add(stage, data, { jobId });
    },
    close: async () => {
      await Promise.all([...open.values()].map((q) => q.close()));
      redis.disconnect();
    },
  };
}

/** Jobs waiting, running or due per stage queue, read in one MULTI (one Redis instant; Cluster: one slot under `{dozor}`). */
export async function pendingCounts(q: StageQueues, stages: readonly Stage[] = STAGES) {
  const multi = q.redis.multi();
  for (const s of stages) {
    const k = `${q.conn.prefix}:${s}`;
    multi.llen(`${k}:wait`).llen(`${k}:active`).llen(`${k}:paused`);
    multi.zcard(`${k}:delayed`).zcard(`${k}:prioritized`).zcard(`${k}:waiting-children`);
  }
  const replies = (await multi.exec()) ?? [];
  const out = {} as Record<Stage, number>;
  stages.forEach((s, i) => {
    out[s] = replies.slice(i * 6, i * 6 + 6).reduce((sum, [err, n]) => {
      if (err) throw err;
      return sum + Number(n);
    }, 0);
  });
  return out;
}
