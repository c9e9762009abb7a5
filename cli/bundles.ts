/** `dozor bundles list|show`: the evidence bundles and their review status. */
import type { Command } from 'commander';
import { DozorError } from '../src/config/errors.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { getBundle, listBundles } from '../src/review/bundle-queries.ts';
import { type BundleStatus, STATUSES } from '../src/review/status.ts';
import { choiceOption } from './options.ts';
import { action, forTerminal, printJson } from './run-action.ts';

export function registerBundles(program: Command): void {
  const bundles = program.command('bundles').description('evidence bundles');
  bundles
    .command('list')
    .description('list bundles, newest first')
    .option(
      '--status <status>',
      `only bundles with this status (${STATUSES.join(', ')})`,
      choiceOption(STATUSES),
    )
    .option('--json', 'one JSON object per line')
    .action(
      action(async (config, flags: { status?: BundleStatus; json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const rows = await listBundles(handle.db, {
            confirmations: config.confirmations,
            status: flags.status,
          });
          for (const b of rows) {
            if (flags.json) printJson(b);
            else
              process.stdout.write(
                `${b.id}  ${b.status.padEnd(9)}  ${b.verdict.padEnd(7)}  ${String(b.score).padStart(5)}  ${forTerminal(b.url)}\n`,
              );
          }
          if (!flags.json && rows.length === 0) process.stderr.write('no bundles\n');
        } finally {
          await handle.close();
        }
      }),
    );
  bundles
    .command('show')
    .description('show one bundle: listing, matches, files and reviews')
    .argument('<id>', 'bundle id')
    .option('--json', 'as JSON')
    .action(
      action(async (config, id: string, flags: { json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const b = await getBundle(handle.db, id, config.confirmations);
          if (!b) throw new DozorError(`no bundle with id "${id}" (see: dozor bundles list)`);
          if (flags.json) {
            printJson(b);
            return;
          }
          const out = [
            `bundle   ${b.bundle.id}  (${b.status})`,
            `url      ${b.listing.permalink}`,
            `source   ${b.source?.url ?? '-'}`,
            `verdict  ${b.detection.verdict}  score ${b.detection.score}  rules ${b.detection.rulePackVersion}`,
            `captured ${b.bundle.createdAt.toISOString()}`,
            '',
            b.listing.text,
            '',
            'matches:',
            ...b.detection.matches.map((m) => `  ${m.rule} [${m.start}-${m.end}] «${m.text}»`),
            'files:',
            ...b.artifacts.map((a) => `  ${a.sha256}  ${a.name} (${a.size} bytes)`),
            'reviews:',
            ...b.reviews.map(
              (r) =>
                `  ${r.createdAt.toISOString()} ${r.reviewer}: ${r.decision}${r.note ? ` — ${r.note}` : ''}`,
            ),
          ];
          process.stdout.write(`${forTerminal(out.join('\n'))}\n`);
        } finally {
          await handle.close();
        }
      }),
    );
}
