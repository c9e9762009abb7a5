/** Opens what the stages need for one run (database, blobs, rules, browser) and closes it again. */
import { join } from 'node:path';
import { type DbHandle, openDb } from '../../db/client.ts';
import { blobStoreFor } from '../capture/blobs.ts';
import { type Browser, launchBrowser } from '../capture/browser.ts';
import type { Config } from '../config/config.ts';
import { loadRulePack } from '../detect/load-rules.ts';
import { closeSharedDecodePool } from '../qr/decode-pool.ts';
import type { StageContext } from './context.ts';

/** An open runtime. */
export interface Runtime {
  ctx: StageContext;
  handle: DbHandle;
  close: () => Promise<void>;
}

/** Opens the database for `config`: Postgres at DATABASE_URL, else PGlite under DOZOR_HOME. */
export function openDbFor(config: Config): Promise<DbHandle> {
  return openDb(config.databaseUrl ? { url: config.databaseUrl } : { dir: join(config.home, 'db') });
}

/** Opens a runtime; with `browser: true` Chromium is started for captures. */
export async function openRuntime(
  config: Config,
  opts: { browser?: boolean; log?: (m: string) => void } = {},
): Promise<Runtime> {
  const rules = loadRulePack(config.rulesDir);
  const handle = await openDbFor(config);
  let browser: Browser | undefined;
  try {
    if (opts.browser)
      browser = await launchBrowser({
        executablePath: config.chromium,
        allowPrivate: config.allowPrivate,
        allow: config.allowAddresses,
        userAgent: config.userAgent,
      });
  } catch (err) {
    await handle.close();
    throw err;
  }
  const ctx: StageContext = {
    db: handle.db,
    blobs: blobStoreFor(config, handle.db),
    config,
    rules,
    browser,
    log: opts.log ?? ((m) => process.stderr.write(`${m}\n`)),
  };
  return {
    ctx,
    handle,
    close: async () => {
      await browser?.close().catch(() => {});
      await closeSharedDecodePool();
      await handle.close();
    },
  };
}
