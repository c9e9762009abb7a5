/** `dozor shops list|show`: listings linked into shop entities by shared identifiers and resemblance. */
import type { Command } from 'commander';
import { DozorError } from '../src/config/errors.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { lifecycleOf } from '../src/shops/lifecycle.ts';
import { getShop, listShops } from '../src/shops/shop-queries.ts';
import { action, forTerminal, printJson } from './run-action.ts';

export function registerShops(program: Command): void {
  const shops = program
    .command('shops')
    .description('shops: listings linked by shared channels, bots, wallets, phones');
  shops
    .command('list')
    .description('list shops, largest first')
    .option('--json', 'one JSON object per line')
    .action(
      action(async (config, flags: { json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          for (const s of await listShops(handle.db)) {
            const life = await lifecycleOf(handle.db, s);
            if (flags.json) {
              const { id, identifiers, sources, bundles } = s;
              printJson({ id, identifiers, sources, bundles, listings: s.listingIds.length, ...life });
              continue;
            }
            const ids = s.identifiers
              .slice(0, 4)
              .map((i) => `${i.kind}:${i.value}`)
              .join(' ');
            const counts = `${String(s.listingIds.length).padStart(4)} listings  ${s.sources.length} sources`;
            process.stdout.write(`${s.id}  ${life.status.padEnd(7)}  ${counts}  ${forTerminal(ids)}\n`);
          }
        } finally {
          await handle.close();
        }
      }),
    );
  shops
    .command('show')
    .description('one shop: lifecycle, identifiers (where each was seen), sources and bundles')
    .argument('<id>', 'shop id')
    .option('--json', 'as JSON')
    .action(
      action(async (config, id: string, flags: { json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const s = await getShop(handle.db, id);
          if (!s) throw new DozorError(`no shop with id "${id}" (see: dozor shops list)`);
          const life = await lifecycleOf(handle.db, s);
          if (flags.json) {
            printJson({ ...s, ...life });
            return;
          }
          const exported = life.exported_at
            ? [
                `exported ${life.exported_at}${life.offline_after_export_hours !== null ? `, offline ${life.offline_after_export_hours} h later` : ''}`,
              ]
            : [];
          const lines = [
            `shop ${s.id}: ${life.status}, ${s.listingIds.length} listings, ${s.bundles.length} bundles`,
            `first seen ${life.first_seen ?? '-'}, last seen ${life.last_seen ?? '-'}${life.offline_since ? `, offline since ${life.offline_since}` : ''}`,
            ...exported,
            'sources:',
            ...s.sources.map((u) => `  ${u}`),
            'identifiers:',
            ...s.evidence.map(
              (e) =>
                `  ${e.kind}:${e.value}  seen ${e.seen.length}× (${[...new Set(e.seen.map((x) => x.where))].join(', ')})`,
            ),
            'bundles:',
            ...s.bundles.map((b) => `  ${b}`),
          ];
          process.stdout.write(`${forTerminal(lines.join('\n'))}\n`);
        } finally {
          await handle.close();
        }
      }),
    );
}
