/** `dozor status [--json]`: the queues of distributed mode: depths, rates, failed jobs, live workers. */
import type { Command } from 'commander';
import type { Config } from '../src/config/config.ts';
import { checkRedis, queueConnection } from '../src/queue/connection.ts';
import { openQueues } from '../src/queue/queues.ts';
import { queueStatus } from '../src/queue/status.ts';
import { action, forTerminal, printJson } from './run-action.ts';

/** Prints the queue status (a table, or one JSON object with --json). */
export async function runStatus(config: Config, flags: { json?: boolean }): Promise<void> {
  const conn = queueConnection(config.redisUrl);
  await checkRedis(conn);
  const queues = openQueues(conn);
  try {
    const s = await queueStatus(queues);
    if (flags.json) {
      printJson(s);
      return;
    }
    const out = process.stdout;
    out.write('stage     waiting  active  delayed  failed  done/min  workers\n');
    for (const q of s.stages) {
      const cells = [q.waiting, q.active, q.delayed, q.failed, q.perMinute, q.workers].map((n) => String(n));
      out.write(
        `${q.stage.padEnd(8)} ${cells.map((c, i) => c.padStart([8, 7, 8, 7, 9, 8][i]!)).join(' ')}\n`,
      );
    }
    out.write(`workers alive: ${s.workers.length}\n`);
    for (const w of s.workers) out.write(`  ${w.name}: ${w.stages.join(', ')}\n`);
    if (s.failed.length) out.write('recent failures:\n');
    for (const f of s.failed)
      out.write(`  ${f.stage} ${f.id} (${f.attempts} tries): ${forTerminal(f.reason)}\n`);
  } finally {
    await queues.close();
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('distributed mode: queue depths, jobs per minute, failed jobs with reasons, live workers')
    .option('--json', 'print one JSON object')
    .action(action(async (config, flags: { json?: boolean }) => runStatus(config, flags)));
}
