/** `dozor jobs retry-failed`: failed jobs go back to their queues, and their frontier rows back to `queued`. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { frontier } from '../../db/schema.ts';
import { STAGES, type Stage } from './names.ts';
import type { StageQueues } from './queues.ts';

/** Retries every failed job (optionally of some stages); returns how many per stage. */
export async function retryFailed(db: Db, queues: StageQueues, stages: readonly Stage[] = STAGES) {
  const out: Partial<Record<Stage, number>> = {};
  for (const stage of stages) {
    const q = queues.queue(stage);
    const failed = await q.getFailed(0, -1);
    if (!failed.length) continue;
    if (stage === 'fetch' || stage === 'extract') {
      const ids = failed
        .map((j) => (j.data as { frontierId?: number }).frontierId)
        .filter((id) => id !== undefined);
      if (ids.length) {
        await db
          .update(frontier)
          .set({ state: 'queued', updatedAt: new Date() })
          .where(and(inArray(frontier.id, ids as number[]), eq(frontier.state, 'failed')));
      }
    }
    for (const job of failed)
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    out[stage] = failed.length;
  }
  return out;
}
