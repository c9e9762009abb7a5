/** Starting a distributed crawl: open (or resume) a run, record its options, queue the seeds. */

import { canonicalSourceUrl } from '../fetch/telegram-url.ts';
import type { StageContext } from '../pipeline/context.ts';
import { ensureSource } from '../pipeline/discovery.ts';
import { openRun } from '../pipeline/frontier.ts';
import type { StageQueues } from './queues.ts';
import { withRunLock } from './run-check.ts';
import { type RunOptions, saveRunOptions } from './run-state.ts';
import { queueUrl } from './stage-jobs.ts';

/** A started run. */
export interface StartedRun {
  runId: number;
  /** True when an interrupted or running run was joined. */
  resumed: boolean;
  /** Seeds newly queued in the run (the rest were in it already, or over the page budget). */
  queued: number;
  options: RunOptions;
}

/** Opens a run (or joins the open one) and queues `seeds` as fetch jobs; the workers do the rest. */
export async function startRun(
  ctx: StageContext,
  queues: StageQueues,
  seeds: string[],
  opts: RunOptions,
): Promise<StartedRun> {
  return withRunLock(queues, async () => {
    const { runId, resumed } = await openRun(ctx.db);
    const options = await saveRunOptions(ctx.db, runId, opts);
    const deps = { ctx, queues, ensureBrowser: async () => {} };
    let queued = 0;
    for (const seed of seeds) {
      const url = canonicalSourceUrl(seed);
      const src = await ensureSource(ctx, url, 0);
      const id = await queueUrl(deps, runId, { url, sourceId: src.id, depth: 0 }, options.maxPages);
      if (typeof id === 'number') queued++;
    }
    return { runId, resumed, queued, options };
  });
}
