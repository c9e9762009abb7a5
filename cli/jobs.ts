/** `dozor jobs retry-failed`: failed queue jobs (distributed mode) go back to their queues. */
import type { Command } from 'commander';
import type { Config } from '../src/config/config.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { checkRedis, queueConnection } from '../src/queue/connection.ts';
import { openQueues } from '../src/queue/queues.ts';
import { retryFailed } from '../src/queue/retry-failed.ts';
import { action, printJson } from './run-action.ts';

/** Retries every failed job and prints how many per stage. */
export async function runRetryFailed(config: Config, flags: { json?: boolean }): Promise<void> {
  const conn = queueConnection(config.redisUrl);
  await checkRedis(conn);
  const handle = await openDbFor(config);
  const queues = openQueues(conn);
  try {
    const retried = await retryFailed(handle.db, queues);
    const total = Object.values(retried).reduce((a, b) => a + (b ?? 0), 0);
    if (flags.json) printJson({ retried: total, stages: retried });
    else
      process.stdout.write(
        `retried ${total} failed job(s)${
          total
            ? `: ${Object.entries(retried)
                .map(([s, n]) => `${s} ${n}`)
                .join(', ')}`
            : ''
        }\n`,
      );
  } finally {
    await queues.close();
    await handle.close();
  }
}

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('distributed mode: manage queue jobs');
  jobs
    .command('retry-failed')
    .description('put every failed job back in its queue (and its page back in the crawl)')
    .option('--json', 'print one JSON object')
    .action(action(async (config, flags: { json?: boolean }) => runRetryFailed(config, flags)));
}
