/** `dozor custody verify|show`: recompute the custody hash chains; show one bundle's chain. */
import type { Command } from 'commander';
import { findBrokenLink } from '../src/custody/chain.ts';
import { custodyEventsOf } from '../src/custody/log.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { action, forTerminal, printJson } from './run-action.ts';

export function registerCustody(program: Command): void {
  const custody = program.command('custody').description('the append-only custody log');
  custody
    .command('verify')
    .description('recompute every hash chain; exit 1 naming the first broken link')
    .option('--json', 'print {"ok", "events", "chains", "broken"} as one JSON line')
    .action(
      action(async (config, flags: { json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const events = await custodyEventsOf(handle.db);
          const broken = findBrokenLink(events);
          const chains = new Set(events.map((e) => e.chain)).size;
          if (flags.json) {
            printJson({ ok: !broken, events: events.length, chains, broken: broken ?? null });
            if (broken) process.exitCode = 1;
            return;
          }
          if (broken) throw new Error(`custody log broken: ${broken}`);
          process.stdout.write(`OK: ${events.length} events in ${chains} chains\n`);
        } finally {
          await handle.close();
        }
      }),
    );
  custody
    .command('show')
    .description("one chain's events (a bundle id, or global)")
    .argument('<chain>', 'bundle id or "global"')
    .option('--json', 'one JSON object per line')
    .action(
      action(async (config, chain: string, flags: { json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const events = await custodyEventsOf(handle.db, [chain]);
          if (events.length === 0) throw new Error(`no custody events for "${chain}"`);
          for (const e of events) {
            if (flags.json) printJson(e);
            else
              process.stdout.write(
                `${e.at}  ${e.event.padEnd(9)}  ${forTerminal(e.actor).padEnd(12)}  ${e.hash.slice(0, 16)}  ${forTerminal(JSON.stringify(e.data)).slice(0, 120)}\n`,
              );
          }
        } finally {
          await handle.close();
        }
      }),
    );
}
