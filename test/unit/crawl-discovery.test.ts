/** Discovered sources (channels, bots, onion, web shops) wait for approval when the admin says so; a channel without a preview gets a clear status. */
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings, sources } from '../../db/schema.ts';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { loadConfig } from '../../src/config/config.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { tmpHome } from '../helpers.ts';

let fixtures: FixtureServer;
let rt: Runtime;
beforeAll(async () => {
  fixtures = await startFixtureServer();
  const config = {
    ...loadConfig({ DOZOR_HOME: tmpHome(), DOZOR_DISCOVERED: 'approve' }),
    allowPrivate: true,
    telegramBase: fixtures.origin,
  };
  rt = await openRuntime(config, { log: () => {} });
});
afterAll(async () => {
  await rt?.close();
  await fixtures?.close();
});

describe('discovery', () => {
  it('records channels, bots, onion hosts and web shops as pending sources and fetches none of them', async () => {
    const { summary, failedSeeds } = await crawl(rt.ctx, {
      seeds: ['https://t.me/s/shym_market'],
      pages: 0,
      noCapture: true,
    });
    expect(failedSeeds).toEqual([]);
    expect(summary.pages).toBe(1);
    const rows = await rt.ctx.db.select().from(sources).orderBy(asc(sources.id));
    const found = rows.filter((s) => s.discoveredVia).map((s) => [s.kind, s.url, s.approved]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['telegram', 'https://t.me/s/shym_reviews', false],
        ['bot', 'https://t.me/shym_market_bot', false],
        ['onion', 'http://shymmarketxyzabcdefghijklmnopqrstuvwxyz234567abcd.onion/', false],
        ['web', 'https://shym-market.example/catalog', false],
        ['telegram', 'https://t.me/s/hidden_stash', false], // through the QR code in the album
      ]),
    );
    expect(rows.find((s) => s.kind === 'bot')!.status).toBe('not_crawlable');
    // the channel's own posts link back to itself: that is no discovery
    expect(found.filter(([, url]) => url === 'https://t.me/s/shym_market')).toEqual([]);
    const stored = await rt.ctx.db.select({ permalink: listings.permalink }).from(listings);
    expect(stored.every((l) => l.permalink.startsWith('https://t.me/shym_market/'))).toBe(true);
    const [market] = rows;
    expect(market!.channel).toMatchObject({ title: 'Маркет 🌵 Шымкент', counters: { subscribers: 15300 } });
  });

  it('a channel whose t.me/s page redirects to t.me/NAME is marked no_preview', async () => {
    const { failedSeeds } = await crawl(rt.ctx, { seeds: ['https://t.me/s/closed_shop'], noCapture: true });
    expect(failedSeeds).toEqual([]);
    const rows = await rt.ctx.db.select().from(sources);
    expect(rows.find((s) => s.url === 'https://t.me/s/closed_shop')?.status).toBe('no_preview');
  });
});
