/** `dozor serve`: the review console. */
import type { Command } from 'commander';
import { blobStoreFor } from '../src/capture/blobs.ts';
import { launchBrowser } from '../src/capture/browser.ts';
import { loadOrCreateSigningKey, type SigningKey } from '../src/export/signing.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { serveConsole } from '../src/web/serve-console.ts';
import { portOption } from './options.ts';
import { action } from './run-action.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the review console')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'console port', portOption, 8080)
    .action(
      action(async (config, flags: { host: string; port: number }) => {
        const handle = await openDbFor(config);
        let key: SigningKey | undefined;
        try {
          await serveConsole({
            handle,
            blobs: blobStoreFor(config, handle.db),
            confirmations: config.confirmations,
            // The key is created on the first export, as with `dozor export`.
            signingKey: () => (key ??= loadOrCreateSigningKey(config.signingKey)),
            openBrowser: () => launchBrowser({ executablePath: config.chromium, allowPrivate: false }),
            rulesDir: config.rulesDir,
            host: flags.host,
            port: flags.port,
            onListening: (url) => process.stderr.write(`console at ${url} (Ctrl-C to stop)\n`),
          });
        } finally {
          await handle.close();
        }
      }),
    );
}
