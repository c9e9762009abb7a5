/**
 * Chromium under the address policy: every request of a page goes through Dozor's guarded fetcher,
 * so subresources pointing at refused addresses are aborted and never reach them.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from '../../src/capture/browser.ts';
import type { Resolver } from '../../src/fetch/address-policy.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const chromiumPath = process.env.DOZOR_CHROMIUM || '/usr/bin/chromium';

let page: Server;
let internal: Server;
let pagePort = 0;
let internalPort = 0;
const internalHits: string[] = [];
const pageHits: string[] = [];

// evil.test resolves to 127.0.0.2, a loopback address the policy does not allow (only 127.0.0.1 is).
const resolve: Resolver = async (host) => {
  if (host === 'evil.test') return [{ address: '127.0.0.2', family: 4 }];
  if (host === 'good.test') return [{ address: '127.0.0.1', family: 4 }];
  throw new Error(`ENOTFOUND ${host}`);
};

beforeAll(async () => {
  internal = createServer((req, res) => {
    internalHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.2', r));
  internalPort = (internal.address() as AddressInfo).port;
  page = createServer((req, res) => {
    pageHits.push(req.url ?? '');
    const evil = `http://evil.test:${internalPort}`;
    if (req.url === '/imgs') {
      return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>t</title>
<img src="http://169.254.169.254/latest/meta-data/a.png">
<img src="${evil}/b.png">
<img src="http://[::ffff:127.0.0.2]:${internalPort}/c.png">
<img src="http://good.test:${pagePort}/ok.png">
<img src="/redir-img">`);
    }
    if (req.url === '/app') {
      // An app shell: empty without JavaScript; its script fills the page and tries to reach inside.
      return res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><html><body><div id="root"></div>
<script>
fetch('${evil}/steal').catch(() => {});
fetch('/data.json').then((r) => r.json()).then((d) => {
  document.getElementById('root').innerHTML = '<h1>' + d.title + '</h1>';
  document.title = 'done';
});
</script></body></html>`);
    }
    if (req.url === '/data.json')
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{"title":"Закладки рендер"}');
    if (req.url === '/to-metadata') return res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    if (req.url === '/redir-img') return res.writeHead(302, { location: `${evil}/d.png` }).end();
    if (req.url === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pagePort = (page.address() as AddressInfo).port;
});
afterAll(() => {
  for (const s of [page, internal]) {
    s?.closeAllConnections();
    s?.close();
  }
});

describe.skipIf(!existsSync(chromiumPath))('browser requests under the address policy', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ executablePath: chromiumPath, allow: ['127.0.0.1'], resolve });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('aborts images that point at metadata, at a name resolving to a private address, and at a mapped IPv6 form', async () => {
    const r = await browser.render!(`http://127.0.0.1:${pagePort}/imgs`, { timeoutMs: 15_000 });
    const refused = r.refused.map((x) => `${x.url} ${x.reason}`).join('\n');
    expect(refused).toContain(
      'http://169.254.169.254/latest/meta-data/a.png refusing private address 169.254.169.254',
    );
    expect(refused).toContain(
      `http://evil.test:${internalPort}/b.png evil.test resolves to private address 127.0.0.2`,
    );
    expect(refused).toMatch(/c\.png refusing private address ::ffff:7f00:2/);
    // A subresource redirected to a refused name: the redirect is followed by the guarded fetcher.
    expect(refused).toContain(`/redir-img evil.test resolves to private address 127.0.0.2`);
    expect(pageHits).toContain('/ok.png'); // the allowed image, through a name resolving to 127.0.0.1
    expect(internalHits).toEqual([]); // nothing reached the refused address
    // The screenshot path (JavaScript off) uses the same guard.
    const png = await browser.screenshot(`http://127.0.0.1:${pagePort}/imgs`);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(internalHits).toEqual([]);
  });

  it('renders an app shell with JavaScript, and its script cannot reach inside', async () => {
    const r = await browser.render!(`http://127.0.0.1:${pagePort}/app`, { timeoutMs: 15_000 });
    expect(r.html).toContain('<h1>Закладки рендер</h1>');
    expect(r.status).toBe(200);
    expect(r.resolvedIp).toBe('127.0.0.1');
    expect(r.refused.map((x) => x.url)).toContain(`http://evil.test:${internalPort}/steal`);
    expect(internalHits).toEqual([]);
  });

  it('refuses a page whose redirect leads to the metadata address', async () => {
    await expect(
      browser.render!(`http://127.0.0.1:${pagePort}/to-metadata`, { timeoutMs: 15_000 }),
    ).rejects.toMatchObject({ code: 'blocked', message: expect.stringContaining('169.254.169.254') });
  });
});
