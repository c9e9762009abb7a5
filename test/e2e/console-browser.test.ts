/**
 * Issue 8's acceptance in a real browser (playwright-core + Debian's Chromium): log in, triage
 * three bundles by keyboard, a second volunteer confirms (also without JavaScript), a liaison
 * downloads a packet that verifies, a volunteer gets 403 on exports, and a listing full of hostile
 * markup renders inert: any dialog, console error or request it triggers fails the test.
 * Screenshots of the triage page at 1280 and 390 px go to test-artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundles, listings } from '../../db/schema.ts';
import { launchBrowser } from '../../src/capture/browser.ts';
import { loadConfig } from '../../src/config/config.ts';
import { loadOrCreateSigningKey } from '../../src/export/signing.ts';
import { verifyPacket } from '../../src/export/verify.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { addUser } from '../../src/review/users.ts';
import { createConsole } from '../../src/web/app.ts';
import { root, tmpHome } from '../helpers.ts';

const ARTIFACTS = join(root, 'test-artifacts');
const HOSTILE_TEXT =
  'Меф 1г — 9000₸, закладки в Медеу. &lt;script&gt;alert("xss")&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; ' +
  '&lt;svg onload=alert(2)&gt; &lt;a href="javascript:alert(3)"&gt;клик&lt;/a&gt; \u202Eроднаж\u202C';

/** A Telegram-like channel: three shop posts (one with a QR code on a photo) and one hostile post. */
function post(n: number, html: string, extra = '') {
  return `<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="night_shop/${n}">${extra}
<div class="tgme_widget_message_text js-message_text" dir="auto">${html}</div>
<a class="tgme_widget_message_date" href="https://t.me/night_shop/${n}"><time datetime="2026-11-${10 + n}T10:00:00+00:00">10:00</time></a></div></div>`;
}
let site: Server;
let origin = '';
async function startSite() {
  let qr: Buffer | undefined;
  site = createServer((req, res) => {
    if (req.url === '/s/night_shop') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Night shop</title></head><body>
<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>Night shop</span></div></div>
${post(1, 'Гашиш евро и бошки АК-47 🌿<br/>1г — 12000₸, прикоп в Медеу, без палева.<br/>Пиши в бот <a href="https://t.me/night_shop_bot">@night_shop_bot</a>')}
${post(2, 'Мефедрон 1г — 15000₸, закладки по городу. Оплата на карту. Бот @night_shop_bot', `<a class="tgme_widget_message_photo_wrap" style="background-image:url('/qr.png')"></a>`)}
${post(3, 'Шишки АК-47 2г — 20000₸, клады в Алатау, магнит. Связь @night_shop_bot')}
${post(4, `${HOSTILE_TEXT}<br/><a href="javascript:alert(4)">@night_shop_bot</a> <img src=x onerror="alert(5)"><svg onload="alert(6)"></svg><script>alert(7)</script>`)}
</body></html>`);
    }
    if (req.url === '/qr.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(qr);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  qr = await QRCode.toBuffer('bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', { width: 240 });
}

let rt: Runtime;
let consoleServer: ReturnType<typeof serve>;
let base = '';
let browser: Browser;
const passwords: Record<string, string> = {};
const problems: string[] = [];
let hostileId = '';

/** A browser context for one person, failing the test on any dialog, page error, console error or outside request. */
async function personContext(opts: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: 'ru-RU', acceptDownloads: true, ...opts });
  ctx.on('request', (r) => {
    if (!r.url().startsWith(base)) problems.push(`request to ${r.url()}`);
  });
  ctx.on('page', (p) => watch(p));
  return ctx;
}
function watch(p: Page) {
  p.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
}
async function logIn(p: Page, name: string) {
  await p.goto(`${base}/login`);
  await p.fill('input[name=name]', name);
  await p.fill('input[name=password]', passwords[name]!);
  await Promise.all([p.waitForLoadState(), p.click('form.card button')]);
  expect(p.url(), await p.content()).toMatch(/\/bundles\/[0-9a-f]{16}$/);
}
const bundleIdOf = (p: Page) => p.url().split('/').at(-1)!;

beforeAll(async () => {
  await startSite();
  const home = tmpHome();
  const config = { ...loadConfig({ DOZOR_HOME: home }), allowPrivate: true, telegramBase: origin };
  rt = await openRuntime(config, { browser: true, log: () => {} });
  const { summary } = await crawl(rt.ctx, { seeds: ['https://t.me/s/night_shop'], depth: 0 });
  expect(summary).toMatchObject({ flagged: 4, bundles: 4 });
  const [h] = await rt.ctx.db
    .select({ id: bundles.id })
    .from(bundles)
    .innerJoin(listings, eq(listings.id, bundles.listingId))
    .where(eq(listings.permalink, 'https://t.me/night_shop/4'));
  hostileId = h!.id;
  for (const [name, role] of [
    ['anna', 'volunteer'],
    ['boris', 'volunteer'],
    ['lena', 'liaison'],
  ] as const)
    passwords[name] = await addUser(rt.ctx.db, name, role);
  const app = createConsole({
    db: rt.ctx.db,
    blobs: rt.ctx.blobs,
    confirmations: 2,
    signingKey: () => loadOrCreateSigningKey(join(home, 'keys', 'signing.pem')),
    openBrowser: () => launchBrowser({ executablePath: config.chromium, allowPrivate: false }),
  });
  await new Promise<void>((resolve) => {
    consoleServer = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  browser = await chromium.launch({
    executablePath: config.chromium,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  consoleServer?.close();
  await rt?.close();
  site?.close();
});

describe('the review console in Chromium', () => {
  let anna: Page;
  const triaged: string[] = [];

  it('logs in and triages three bundles by keyboard (? help, j/k move, c confirm)', async () => {
    anna = await (await personContext()).newPage();
    await logIn(anna, 'anna');
    expect(await anna.locator('html').getAttribute('lang')).toBe('ru');
    await anna.keyboard.press('?');
    await expect.poll(() => anna.locator('#help').getAttribute('open')).not.toBeNull();
    await anna.keyboard.press('?');
    const first = bundleIdOf(anna);
    await Promise.all([anna.waitForURL((u) => !u.pathname.endsWith(first)), anna.keyboard.press('j')]);
    await Promise.all([anna.waitForURL((u) => u.pathname.endsWith(first)), anna.keyboard.press('k')]);
    for (let i = 0; i < 3; i++) {
      const id = bundleIdOf(anna);
      triaged.push(id);
      await Promise.all([anna.waitForURL((u) => !u.pathname.endsWith(id)), anna.keyboard.press('c')]);
    }
    expect(new Set(triaged).size).toBe(3);
    await anna.goto(`${base}/bundles/${triaged[0]}`);
    expect(await anna.content()).toContain('<td>anna</td>');
    expect(problems).toEqual([]);
  }, 60_000);

  it('a second volunteer confirms without seeing the first decision, also with JavaScript off', async () => {
    const boris = await (await personContext()).newPage();
    await logIn(boris, 'boris');
    await boris.goto(`${base}/bundles/${triaged[0]}`);
    expect(await boris.content()).not.toContain('anna');
    await Promise.all([
      boris.waitForURL((u) => !u.pathname.endsWith(triaged[0]!)),
      boris.keyboard.press('c'),
    ]);
    await boris.goto(`${base}/bundles/${triaged[0]}`);
    expect(await boris.locator('.meta').first().textContent()).toContain('подтверждён');

    const noJs = await (await personContext({ javaScriptEnabled: false })).newPage();
    await logIn(noJs, 'boris');
    await noJs.goto(`${base}/bundles/${triaged[1]}`);
    await noJs.fill('textarea[name=note]', 'цены и закладки');
    await Promise.all([
      noJs.waitForURL((u) => !u.pathname.endsWith(triaged[1]!)),
      noJs.click('button.confirm'),
    ]);
    await noJs.goto(`${base}/bundles/${triaged[1]}`);
    expect(await noJs.locator('.meta').first().textContent()).toContain('подтверждён');
    expect(problems).toEqual([]);
  }, 60_000);

  it('a volunteer gets 403 on exports; a liaison downloads a packet that verifies', async () => {
    const denied = await anna.goto(`${base}/exports`);
    expect(denied?.status()).toBe(403);
    // Chromium logs the refused page itself as a console error: that one is expected
    expect(problems.splice(0)).toEqual([
      'console error: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ]);
    const lena = await (await personContext()).newPage();
    await logIn(lena, 'lena');
    await lena.goto(`${base}/exports`);
    const [download] = await Promise.all([
      lena.waitForEvent('download', { timeout: 60_000 }),
      lena.click('form[action="/exports"] button'),
    ]);
    const file = join(ARTIFACTS, 'console-packet.zip');
    await download.saveAs(file);
    const verdict = await verifyPacket(readFileSync(file));
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, bundles: 2 });
    await lena.goto(`${base}/exports`);
    const packetId = /^dozor-([0-9a-f-]{36})\.zip$/.exec(download.suggestedFilename())![1]!;
    const history = await lena.locator('section').last().innerHTML();
    expect(history).toMatch(new RegExp(`<code>${packetId}</code></td><td>lena</td><td>[^<]+</td><td>2</td>`));
    expect(problems).toEqual([]);
  }, 90_000);

  it('renders a listing full of hostile markup inert, and saves triage screenshots at 1280 and 390 px', async () => {
    const page = anna;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/bundles/${hostileId}`);
    const text = await page.locator('pre.text').textContent();
    expect(text).toContain('<script>alert("xss")</script>');
    expect(text).toContain('[U+202E]');
    expect(await page.locator('pre.text mark').first().getAttribute('title')).toMatch(
      /^[a-z]{2}\.[a-z-]+\.[\w-]+$/,
    );
    const hrefs = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => !h.startsWith('/') && !h.startsWith('?'))).toEqual([]);
    expect(await page.locator('main script, main svg:not(.chart), main img:not(.shot)').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(problems).toEqual([]);

    await page.goto(`${base}/bundles/${triaged.find((id) => id !== hostileId) ?? triaged[0]}`);
    const withImage = await page.goto(`${base}/bundles/${await bundleWithImage(page)}`);
    expect(withImage?.status()).toBe(200);
    const img = page.locator('label.blur img').first();
    expect(await img.evaluate((e) => getComputedStyle(e).filter)).toContain('blur');
    await page.screenshot({ path: join(ARTIFACTS, 'console-triage-1280.png'), fullPage: true });
    await img.click();
    await expect.poll(() => img.evaluate((e) => getComputedStyle(e).filter)).toBe('none');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.evaluate(() => window.scrollTo(0, 0));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'console-triage-390.png'), fullPage: false });
    expect(problems).toEqual([]);
  }, 60_000);
});

/** The bundle whose post carried the QR-code photo. */
async function bundleWithImage(_: Page): Promise<string> {
  const [row] = await rt.ctx.db
    .select({ id: bundles.id })
    .from(bundles)
    .innerJoin(listings, eq(listings.id, bundles.listingId))
    .where(eq(listings.permalink, 'https://t.me/night_shop/2'));
  return row!.id;
}
