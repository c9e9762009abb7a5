/** The same stages on the real Postgres of this machine: same listings flagged, nothing duplicated on a re-run. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detections, listings, pages } from '../../db/schema.ts';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime } from '../../src/pipeline/runtime.ts';
import { freshPostgres, tmpHome } from '../helpers.ts';

let fixtures: FixtureServer;
let pg: Awaited<ReturnType<typeof freshPostgres>>;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  pg = await freshPostgres();
});
afterAll(async () => {
  await fixtures.close();
  await pg.drop();
});

describe('crawl on Postgres', () => {
  it('flags the same posts as the embedded run and stays idempotent', async () => {
    const config = {
      ...loadConfig({ DOZOR_HOME: tmpHome() }),
      databaseUrl: pg.url,
      allowPrivate: true,
      telegramBase: fixtures.origin,
    };
    const rt = await openRuntime(config, { log: () => {} });
    try {
      const run = () => crawl(rt.ctx, { seeds: ['https://t.me/s/almaty_shop'], noCapture: true });
      const first = await run();
      expect(first.failedSeeds).toEqual([]);
      expect(first.summary).toMatchObject({ pages: 3, codes: 1, flagged: 5, bundles: 0, errors: 0 });
      const flagged = await rt.ctx.db
        .select({ permalink: listings.permalink })
        .from(detections)
        .innerJoin(listings, eq(listings.id, detections.listingId))
        .where(eq(detections.flagged, true));
      expect(flagged.map((r) => r.permalink).sort()).toEqual([
        'https://t.me/almaty_shop/102',
        'https://t.me/almaty_shop/103',
        'https://t.me/almaty_shop/106',
        'https://t.me/hidden_stash/8',
        'https://t.me/hidden_stash/9',
      ]);
      const counts = async () => [
        (await rt.ctx.db.select().from(pages)).length,
        (await rt.ctx.db.select().from(listings)).length,
        (await rt.ctx.db.select().from(detections)).length,
      ];
      const before = await counts();
      await run();
      expect(await counts()).toEqual(before);
    } finally {
      await rt.close();
    }
  });
});
