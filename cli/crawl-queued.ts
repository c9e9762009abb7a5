/**
 * `dozor crawl` with REDIS_URL set: the seeds go to the stage queues and `dozor worker` processes
 * do the work; this command follows the run until it is finished (or returns at once with --detach).
 */
import type { Config } from '../src/config/config.ts';
import type { CrawlSummary } from '../src/pipeline/crawl.ts';
import { seedsOrSources } from '../src/pipeline/due-sources.ts';
import { formatDuration } from '../src/pipeline/progress.ts';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { checkRedis, queueConnection } from '../src/queue/connection.ts';
import { followRun } from '../src/queue/follow.ts';
import { openQueues } from '../src/queue/queues.ts';
import { startRun } from '../src/queue/start-run.ts';
import type { CrawlFlags } from './crawl.ts';
import { printJson } from './run-action.ts';

/** Queues the crawl and follows it; prints the summary like the embedded crawl. */
export async function runQueuedCrawl(
  config: Config,
  flags: CrawlFlags & { detach?: boolean },
): Promise<CrawlSummary | undefined> {
  const conn = queueConnection(config.redisUrl);
  await checkRedis(conn);
  const rt = await openRuntime(config);
  const queues = openQueues(conn);
  try {
    const seeds = await seedsOrSources(rt.ctx.db, flags.seed);
    const run = await startRun(rt.ctx, queues, seeds, {
      depth: flags.depth,
      maxPages: flags.maxPages,
      pages: flags.pages,
      since: flags.since?.toISOString(),
      noCapture: !flags.capture,
    });
    if (flags.detach) {
      if (flags.json) printJson({ runId: run.runId, resumed: run.resumed, queued: run.queued });
      else
        process.stdout.write(`run ${run.runId}: queued ${run.queued} seed(s); follow with: dozor status\n`);
      return undefined;
    }
    if (run.resumed && !flags.json) process.stderr.write(`joined open crawl ${run.runId}\n`);
    const live = process.stderr.isTTY && !flags.json;
    const summary = await followRun(rt.ctx, queues, run.runId, {
      signal: flags.signal,
      onProgress: live
        ? (p) =>
            process.stderr.write(
              `\r\x1b[Kjobs done ${p.completed} · failed ${p.failed} · ${formatDuration(p.seconds)}`,
            )
        : undefined,
    });
    if (live) process.stderr.write('\r\x1b[K');
    if (flags.json) printJson(summary);
    else
      process.stdout.write(
        `pages ${summary.pages} · listings ${summary.listings} · images ${summary.images} · codes ${summary.codes} · flagged ${summary.flagged} · bundles ${summary.bundles} · errors ${summary.errors} · ${summary.seconds}s\n`,
      );
    return summary;
  } finally {
    await queues.close();
    await rt.close();
  }
}
