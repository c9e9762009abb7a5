/** Render modes of the fetch stage: http, browser, and auto (re-render an app shell with Chromium). */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings, pages } from '../../db/schema.ts';
import { type Browser, launchBrowser } from '../../src/capture/browser.ts';
import { loadConfig } from '../../src/config/config.ts';
import { extractStage } from '../../src/extract/extract-stage.ts';
import { fetchStage } from '../../src/fetch/fetch-stage.ts';
import type { StageContext } from '../../src/pipeline/context.ts';
import { openRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { tmpHome } from '../helpers.ts';

const chromiumPath = process.env.DOZOR_CHROMIUM || '/usr/bin/chromium';
const SHELL = `<!doctype html><html><head><meta charset="windows-1251"><title>app</title></head><body><div id="root"></div>
<script>fetch('/api').then((r) => r.json()).then((d) => { document.getElementById('root').textContent = d.text; });</script>
</body></html>`;

let hits: string[] = [];
const site = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  hits.push(path);
  if (path === '/app') return res.writeHead(200, { 'content-type': 'text/html' }).end(SHELL);
  if (path === '/api')
    return res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end('{"text":"Мефедрон, закладки"}');
  if (path === '/plain') {
    const text = 'An ordinary article with enough text to read without any script. '.repeat(5);
    return res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${text}</p><script>1</script>`);
  }
  res.writeHead(404).end();
});

describe.skipIf(!existsSync(chromiumPath))('render modes', () => {
  let rt: Runtime;
  let browser: Browser;
  let ctx: StageContext;
  let origin = '';
  beforeAll(async () => {
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const config = {
      ...loadConfig({ DOZOR_HOME: tmpHome(), DOZOR_ALLOW_ADDRESSES: '127.0.0.1' }),
      chromium: chromiumPath,
    };
    rt = await openRuntime(config, { log: () => {} });
    browser = await launchBrowser({ executablePath: chromiumPath, allow: config.allowAddresses });
    ctx = { ...rt.ctx, browser };
  });
  afterAll(async () => {
    await browser?.close();
    await rt?.close();
    site.closeAllConnections();
    site.close();
  });

  const stored = async (pageId: number) => {
    const [p] = await ctx.db.select().from(pages).where(eq(pages.id, pageId));
    return { page: p! };
  };
  const textOf = async (pageId: number) => {
    const body = await ctx.blobs.get(
      (await ctx.db.select().from(pages).where(eq(pages.id, pageId)))[0]!.bodySha256,
    );
    return body.toString('utf8');
  };

  it('http keeps the empty shell', async () => {
    hits = [];
    const { pageId } = await fetchStage(ctx, { url: `${origin}/app` }, { render: 'http' });
    expect(await textOf(pageId)).toBe(SHELL);
    expect(hits).not.toContain('/api');
  });

  it('auto re-renders an app shell with the browser and stores the rendered DOM as UTF-8', async () => {
    const { pageId } = await fetchStage(ctx, { url: `${origin}/app?x=1` }, { render: 'auto' });
    const { page } = await stored(pageId);
    expect(page.headers['x-dozor-rendered']).toBe('chromium');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.resolvedIp).toBe('127.0.0.1');
    const html = await textOf(pageId);
    expect(html).toContain('<div id="root">Мефедрон, закладки</div>');
    // The stored body declares its own (old) charset in a meta tag; the header makes it read as UTF-8.
    const [row] = (await extractStage(ctx, { pageId })).listings;
    const [l] = await ctx.db.select().from(listings).where(eq(listings.id, row!.id));
    expect(l!.text).toContain('Мефедрон, закладки');
  });

  it('auto leaves a page with text alone; browser renders it anyway', async () => {
    const plain = await fetchStage(ctx, { url: `${origin}/plain` }, { render: 'auto' });
    const [p] = await ctx.db.select().from(pages).where(eq(pages.id, plain.pageId));
    expect(p!.headers['x-dozor-rendered']).toBeUndefined();
    const forced = await fetchStage(ctx, { url: `${origin}/plain?b=1` }, { render: 'browser' });
    const [f] = await ctx.db.select().from(pages).where(eq(pages.id, forced.pageId));
    expect(f!.headers['x-dozor-rendered']).toBe('chromium');
  });

  it('browser mode without a browser is a one-line error', async () => {
    await expect(
      fetchStage({ ...ctx, browser: undefined }, { url: `${origin}/app?y=1` }, { render: 'browser' }),
    ).rejects.toMatchObject({ code: 'render', message: expect.stringMatching(/needs a browser to render/) });
  });
});
