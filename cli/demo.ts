/**
 * `dozor demo`: serves the bundled fixtures on 127.0.0.1, crawls them into a demo state folder
 * (<DOZOR_HOME>/demo, always embedded, wiped each run), then serves the console.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startFixtureServer } from '../fixtures/server.ts';
import { blobStoreFor } from '../src/capture/blobs.ts';
import { launchBrowser } from '../src/capture/browser.ts';
import type { Config } from '../src/config/config.ts';
import { loadOrCreateSigningKey, type SigningKey } from '../src/export/signing.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { addUser } from '../src/review/users.ts';
import { serveConsole } from '../src/web/serve-console.ts';
import { runCrawl } from './crawl.ts';
import { portOption } from './options.ts';
import { action } from './run-action.ts';

const MARKER = '.dozor-demo';

/** A fresh demo state folder under `home`; refuses to wipe a folder that is not a demo's. */
function freshDemoHome(home: string): string {
  const dir = join(home, 'demo');
  if (existsSync(dir)) {
    if (!existsSync(join(dir, MARKER)))
      throw new Error(`${dir} exists and is not a demo folder: move it away first`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'demo data: wiped by every `dozor demo` run\n');
  return dir;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('crawl the bundled offline fixtures end to end, then open the review console')
    .option('--no-serve', 'print the summary and exit instead of serving the console')
    .option('--json', 'print the summary as one JSON object')
    .option('--port <port>', 'console port', portOption, 8080)
    .action(
      action(async (config, flags: { serve: boolean; json?: boolean; port: number }) => {
        const home = freshDemoHome(config.home);
        const fixtures = await startFixtureServer();
        const demo: Config = {
          ...config,
          home,
          databaseUrl: undefined,
          redisUrl: undefined,
          allowPrivate: true,
          telegramBase: fixtures.origin,
          signingKey: join(home, 'keys', 'signing-ed25519.pem'),
        };
        process.stderr.write(`fixtures at ${fixtures.origin}; demo state in ${home}\n`);
        try {
          await runCrawl(demo, {
            seed: [
              'https://t.me/s/almaty_shop',
              `${fixtures.origin}/shop/`,
              `${fixtures.origin}/news/operation.html`,
            ],
            depth: 2,
            maxPages: 50,
            capture: true,
            json: flags.json,
          });
        } finally {
          await fixtures.close();
        }
        if (!flags.serve || process.exitCode) return;
        const handle = await openDbFor(demo);
        try {
          const password = await addUser(handle.db, 'demo', 'volunteer');
          let key: SigningKey | undefined;
          await serveConsole({
            handle,
            blobs: blobStoreFor(demo, handle.db),
            confirmations: demo.confirmations,
            signingKey: () => (key ??= loadOrCreateSigningKey(demo.signingKey)),
            openBrowser: () => launchBrowser({ executablePath: demo.chromium, allowPrivate: false }),
            rulesDir: demo.rulesDir,
            host: '127.0.0.1',
            port: flags.port,
            onListening: (url) =>
              process.stderr.write(
                `\nconsole at ${url}/login — log in as "demo" with password ${password} (Ctrl-C to stop)\n`,
              ),
          });
        } finally {
          await handle.close();
        }
      }),
    );
}
