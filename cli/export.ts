/** `dozor export --out FILE.zip --as USER`: a signed BagIt evidence packet of confirmed bundles. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { blobStoreFor } from '../src/capture/blobs.ts';
import { launchBrowser } from '../src/capture/browser.ts';
import { DozorError } from '../src/config/errors.ts';
import { exportPacket } from '../src/export/packet.ts';
import { loadOrCreateSigningKey } from '../src/export/signing.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { type BundleStatus, STATUSES } from '../src/review/status.ts';
import { getShop } from '../src/shops/shop-queries.ts';
import { choiceOption } from './options.ts';
import { action } from './run-action.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export bundles as a signed, verifiable evidence packet')
    .requiredOption('--out <file.zip>', 'where to write the packet (must not exist)')
    .option(
      '--status <status>',
      'which bundles (only confirmed ones are exportable)',
      choiceOption(STATUSES),
      'confirmed',
    )
    .option(
      '--bundle <id>',
      'export this bundle (repeatable) instead of all with --status',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--shop <id>', "export this shop's bundles (with --status) and its identifier graph")
    .requiredOption('--as <user>', 'the liaison officer or admin exporting')
    .action(
      action(
        async (
          config,
          flags: { out: string; status: BundleStatus; bundle: string[]; shop?: string; as: string },
        ) => {
          const handle = await openDbFor(config);
          try {
            const shop = flags.shop ? await getShop(handle.db, flags.shop) : undefined;
            if (flags.shop && !shop)
              throw new DozorError(`no shop with id "${flags.shop}" (see: dozor shops list)`);
            const key = loadOrCreateSigningKey(config.signingKey);
            const browser = await launchBrowser({ executablePath: config.chromium, allowPrivate: false });
            try {
              const out = resolve(flags.out);
              const r = await exportPacket({
                db: handle.db,
                blobs: blobStoreFor(config, handle.db),
                key,
                browser,
                confirmations: config.confirmations,
                actor: flags.as,
                status: flags.status,
                bundleIds: flags.bundle.length ? flags.bundle : undefined,
                shop,
                out,
              });
              process.stdout.write(`${out}\n`);
              process.stderr.write(
                `packet ${r.packetId}: ${r.bundles.length} bundle(s), signed by key SHA-256 ${r.fingerprint}\n`,
              );
            } finally {
              await browser.close();
            }
          } finally {
            await handle.close();
          }
        },
      ),
    );
}
