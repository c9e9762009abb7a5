/**
 * `dozor worker [--stages fetch,extract,...] [--concurrency N]`: a queue worker (distributed mode,
 * needs REDIS_URL). SIGINT/SIGTERM: active jobs finish, then everything closes.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../src/config/config.ts';
import { parseStages, STAGES, type Stage } from '../src/queue/names.ts';
import { startWorker } from '../src/queue/worker.ts';
import { intOption } from './options.ts';
import { action } from './run-action.ts';

interface WorkerFlags {
  stages: Stage[];
  concurrency: number;
  allowPrivate?: boolean;
}

/** Runs a worker until SIGINT/SIGTERM. */
export async function runWorker(config: Config, flags: WorkerFlags): Promise<void> {
  const cfg = { ...config, allowPrivate: config.allowPrivate || Boolean(flags.allowPrivate) };
  const lock = Number(process.env.DOZOR_JOB_LOCK_MS || 30_000);
  const worker = await startWorker(cfg, {
    stages: flags.stages,
    concurrency: flags.concurrency,
    lockMs: lock,
  });
  process.stderr.write(
    `worker ${process.pid}: ${flags.stages.join(', ')} (concurrency ${flags.concurrency})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('dozor: finishing active jobs…\n');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await worker.close();
  process.stderr.write(
    `worker ${process.pid}: ${worker.counts.completed} jobs done, ${worker.counts.failed} failed\n`,
  );
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('process queued stage jobs (distributed mode: REDIS_URL and DATABASE_URL)')
    .option('--stages <list>', `stages to serve, comma-separated (${STAGES.join(',')})`, stagesOption, [
      ...STAGES,
    ])
    .option('--concurrency <n>', 'jobs at once per stage', intOption, 4)
    .option('--allow-private', 'allow loopback and private addresses (tests, local fixtures)')
    .action(action(async (config, flags: WorkerFlags) => runWorker(config, flags)));
}

function stagesOption(value: string): Stage[] {
  try {
    return parseStages(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
