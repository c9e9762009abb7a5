/** A shop's channels are re-checked: when they are gone, the shop is marked offline. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { bundles, custodyEvents, detections, listings, pages, sources } from '../../db/schema.ts';
import { loadConfig } from '../../src/config/config.ts';
import { recordCustody } from '../../src/custody/log.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime } from '../../src/pipeline/runtime.ts';
import { lifecycleOf } from '../../src/shops/lifecycle.ts';
import { listShops } from '../../src/shops/shop-queries.ts';
import { tmpHome } from '../helpers.ts';

let gone = false;
let qrPng: Buffer;
const WALLET = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const channel = (name: string, id: number, text: string, photo = '') => `<!DOCTYPE html><html><body>
<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>${name}</span></div></div>
<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="${name}/${id}">
${photo ? `<a class="tgme_widget_message_photo_wrap" style="background-image:url('${photo}')"></a>` : ''}
<div class="tgme_widget_message_text js-message_text">${text}</div><time datetime="2026-11-01T10:00:00+00:00"></time></div></div></body></html>`;
const SITE: Record<string, string> = {
  '/s/main_shop': channel(
    'main_shop',
    3,
    `Мефедрон 1г — 15000₸, закладки. Заказ @same_shop_bot, оплата BTC ${WALLET}`,
    '/qr.png',
  ),
  '/s/mirror_shop': channel('mirror_shop', 9, 'Альфа-PVP 0,5г — 9000₸, прикоп. Пиши @same_shop_bot'),
  '/s/mirror_three': channel('mirror_three', 4, `Гашиш 1г — 12000₸, закладки в Медеу. Оплата BTC ${WALLET}`),
  '/s/qr_only': channel(
    'qr_only',
    1,
    'Бошки 1г — 14000₸, прикоп. Запасной канал, заказ через оператора @qr_only_op',
  ),
  '/s/other_shop': channel('other_shop', 2, 'Кокаин 1г — 60000₸, мастер-клад. Заказ @other_shop_bot'),
  '/s/news_kz': channel(
    'news_kz',
    1,
    'Полиция задержала закладчика, канал @same_shop_bot заблокирован, изъято 200 грамм мефедрона',
  ),
};
const alwaysUp = new Set(['/s/news_kz', '/s/other_shop']);
const server = createServer((req, res) => {
  if (req.url === '/qr.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(qrPng);
  const body = SITE[req.url ?? ''];
  if (!body || (gone && !alwaysUp.has(req.url ?? ''))) return res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
});
let origin = '';
beforeAll(async () => {
  qrPng = await QRCode.toBuffer('https://t.me/qr_only', { width: 300 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('shop lifecycle', () => {
  it('joins three mirrors, a bot, a QR-only channel and a wallet into one shop; keeps another shop and the news apart; marks it offline when gone', async () => {
    const config = { ...loadConfig({ DOZOR_HOME: tmpHome() }), allowPrivate: true, telegramBase: origin };
    const rt = await openRuntime(config, { log: () => {} });
    try {
      const seeds = ['main_shop', 'mirror_shop', 'mirror_three', 'other_shop', 'news_kz'].map(
        (n) => `https://t.me/s/${n}`,
      );
      const first = await crawl(rt.ctx, { seeds, noCapture: true });
      expect(first.summary).toMatchObject({ pages: 6, codes: 1, flagged: 5, errors: 0 });
      const shops = await listShops(rt.ctx.db);
      expect(shops.map((s) => s.sources)).toEqual([
        ['main_shop', 'mirror_shop', 'mirror_three', 'qr_only'].map((n) => `https://t.me/s/${n}`),
        ['https://t.me/s/other_shop'],
      ]);
      const ids = shops[0]!.evidence.map((e) => `${e.kind}:${e.value}`);
      expect(ids).toEqual(
        expect.arrayContaining(['telegram:same_shop_bot', `btc:${WALLET}`, 'telegram:qr_only']),
      );
      expect(shops[0]!.evidence.find((e) => e.value === 'qr_only')!.seen.map((x) => x.where)).toContain(
        'QR code',
      );
      const before = await lifecycleOf(rt.ctx.db, shops[0]!);
      expect(before).toMatchObject({ status: 'active', offline_since: null, exported_at: null });
      expect(before.last_seen).not.toBeNull();

      gone = true;
      // The re-check, as `dozor crawl` with no seeds does it: every known source, discovered ones included.
      const all = (await rt.ctx.db.select({ url: sources.url }).from(sources)).map((r) => r.url);
      const recheck = await crawl(rt.ctx, { seeds: all, noCapture: true });
      expect(recheck.failedSeeds.map((f) => f.url).sort()).toEqual(
        ['main_shop', 'mirror_shop', 'mirror_three', 'qr_only'].map((n) => `https://t.me/s/${n}`),
      );
      const [shop, other] = await listShops(rt.ctx.db);
      const after = await lifecycleOf(rt.ctx.db, shop!);
      expect(after.status).toBe('offline');
      expect(Date.parse(after.offline_since!)).toBeGreaterThanOrEqual(Date.parse(before.last_seen!));
      expect((await lifecycleOf(rt.ctx.db, other!)).status).toBe('active');
      const statuses = await rt.ctx.db.select({ url: sources.url, status: sources.status }).from(sources);
      expect(statuses.find((s) => s.url.endsWith('news_kz'))?.status).toBe('ok');
    } finally {
      await rt.close();
    }
  });

  it('reports how long after its first export a shop went offline', async () => {
    const { db, close } = await openDb({ dir: 'memory://' });
    try {
      const [src] = await db
        .insert(sources)
        .values({
          url: 'https://t.me/s/x_shop',
          kind: 'telegram',
          lastOkAt: new Date('2026-11-01T00:00:00Z'),
          offlineSince: new Date('2026-11-03T12:00:00Z'),
        })
        .returning();
      const [page] = await db
        .insert(pages)
        .values({
          url: src!.url,
          finalUrl: src!.url,
          status: 200,
          headers: {},
          bodySha256: 'a'.repeat(64),
          bodySize: 1,
          fetchedAt: new Date(),
        })
        .returning();
      const [l] = await db
        .insert(listings)
        .values({
          pageId: page!.id,
          sourceId: src!.id,
          permalink: 'https://t.me/x_shop/1',
          text: 't',
          textSha256: 'b'.repeat(64),
          links: [],
          imageUrls: [],
        })
        .returning();
      const [d] = await db
        .insert(detections)
        .values({
          listingId: l!.id,
          rulePackVersion: 'v',
          verdict: 'shop',
          score: 9,
          flagged: true,
          matches: [],
        })
        .returning();
      await db.insert(bundles).values({ id: 'b1', listingId: l!.id, detectionId: d!.id });
      await recordCustody(db, {
        chain: 'b1',
        event: 'exported',
        actor: 'lena',
        data: {},
        at: '2026-11-02T00:00:00.000Z',
      });
      expect(await db.select().from(custodyEvents)).toHaveLength(1);
      const life = await lifecycleOf(db, { listingIds: [l!.id], sources: [src!.url], bundles: ['b1'] });
      expect(life).toMatchObject({
        status: 'offline',
        exported_at: '2026-11-02T00:00:00.000Z',
        offline_after_export_hours: 36,
      });
    } finally {
      await close();
    }
  });
});
