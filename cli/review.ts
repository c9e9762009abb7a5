/** `dozor review ID confirm|dismiss|escalate --as USER`: a review decision from the CLI. */
import type { Command } from 'commander';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { DECISIONS, recordReview } from '../src/review/review.ts';
import { choiceOption } from './options.ts';
import { action } from './run-action.ts';

export function registerReview(program: Command): void {
  program
    .command('review')
    .description('record a review decision on a bundle')
    .argument('<id>', 'bundle id')
    .argument('<decision>', DECISIONS.join(' | '), choiceOption(DECISIONS))
    .requiredOption('--as <user>', 'the reviewer (a user added with dozor users add)')
    .option('--note <text>', 'a note kept with the decision')
    .action(
      action(async (config, id: string, decision: string, flags: { as: string; note?: string }) => {
        const handle = await openDbFor(config);
        try {
          const status = await recordReview(handle.db, {
            bundleId: id,
            user: flags.as,
            decision,
            note: flags.note,
            confirmations: config.confirmations,
          });
          process.stdout.write(`${id} ${status}\n`);
        } finally {
          await handle.close();
        }
      }),
    );
}
