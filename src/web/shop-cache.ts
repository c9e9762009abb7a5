/**
 * Shops for the console, computed by src/shops (which links every flagged listing) and kept until
 * new detections, images or QR codes arrive. A stale index is served while a fresh one is built in
 * the background, so a triage page never waits for linking a large database.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../review/queue.ts';
import { listShops, type Shop } from '../shops/shop-queries.ts';

/** The shops and, for each bundle, the shop it belongs to. */
export interface ShopIndex {
  shops: Shop[];
  byBundle: Map<string, Shop>;
  byId: Map<string, Shop>;
}

/** A cache of the shop index; `get` returns undefined only while the very first build runs longer than `waitMs`. */
export function shopCache(db: Db, opts: { waitMs?: number; checkEveryMs?: number } = {}) {
  const waitMs = opts.waitMs ?? 3000;
  const checkEveryMs = opts.checkEveryMs ?? 2000;
  let index: ShopIndex | undefined;
  let builtFor = '';
  let checkedAt = 0;
  let building: Promise<ShopIndex> | undefined;
  let failedAt = 0;
  let lastError: string | undefined;

  const versionOf = async () => {
    const [row] = await rowsOf<{ v: string }>(
      db,
      sql`select concat_ws('/', (select max(id) from detections), (select max(id) from listing_images),
            (select max(id) from qr_codes), (select count(*) from bundles)) as v`,
    );
    return row?.v ?? '';
  };
  const build = (version: string) => {
    building ??= (async () => {
      try {
        const shops = await listShops(db);
        const byBundle = new Map<string, Shop>();
        for (const s of shops) for (const b of s.bundles) byBundle.set(b, s);
        index = { shops, byBundle, byId: new Map(shops.map((s) => [s.id, s])) };
        builtFor = version;
        lastError = undefined;
        return index;
      } catch (err) {
        failedAt = Date.now();
        lastError = (err as Error).message.split('\n')[0]!.slice(0, 300);
        process.stderr.write(`console: cannot link shops: ${lastError}\n`);
        throw err;
      } finally {
        building = undefined;
      }
    })();
    return building;
  };

  return {
    /** The current index (possibly a moment stale while a rebuild runs). */
    async get(): Promise<ShopIndex | undefined> {
      if (index && Date.now() - checkedAt < checkEveryMs) return index;
      checkedAt = Date.now();
      const version = await versionOf();
      if (index && version === builtFor) return index;
      if (Date.now() - failedAt < 60_000) return index; // after a failure, retry once a minute
      const fresh = build(version).catch(() => undefined);
      if (index) return index; // the stale index keeps serving while the fresh one is built
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((r) => {
        timer = setTimeout(r, waitMs) as unknown as NodeJS.Timeout;
      });
      return Promise.race([fresh, timeout]).finally(() => clearTimeout(timer));
    },
    /** Why the last build failed, if it did. */
    error: () => lastError,
    /** Forgets the index so the next `get` checks the database at once. */
    touch() {
      checkedAt = 0;
    },
  };
}

export type ShopCache = ReturnType<typeof shopCache>;
