/**
 * Bad input through the real crawl: a fixture site with a 50 MB page, a redirect loop, a page that
 * never finishes, a cut-off transfer, an image served as HTML, legacy Cyrillic encodings, a missing
 * content type and truncated markup. Each bad page is that page's one-line error; the rest are
 * stored and parsed correctly; the crawl goes on.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings, pages } from '../../db/schema.ts';
import { loadConfig } from '../../src/config/config.ts';
import { setFetchServices } from '../../src/fetch/fetch-stage.ts';
import { createFetchServices } from '../../src/fetch/polite-fetch.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { tmpHome } from '../helpers.ts';

const RU = 'Закладки в Алматы';
const html = (body: string) =>
  `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;
let sent50 = 0;

const site = createServer((req, res) => {
  switch (req.url) {
    case '/good':
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(html(`<p>${RU}: good</p>`));
    case '/huge': {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      let left = 200; // 200 × 256 KiB = 50 MiB
      const pump = () => {
        while (left-- > 0) {
          sent50 += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (left = 0));
      return pump();
    }
    case '/loop':
      return res.writeHead(302, { location: '/loop2' }).end();
    case '/loop2':
      return res.writeHead(301, { location: '/loop' }).end();
    case '/hang': {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => res.write(' '), 100);
      return res.on('close', () => clearInterval(t));
    }
    case '/cut':
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '5000' });
      res.write('<html><body><p>half');
      return setTimeout(() => res.destroy(), 20);
    case '/png-as-html':
      return res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    case '/cp1251':
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=windows-1251' })
        .end(
          Buffer.concat([
            Buffer.from('<html><body><p>'),
            Buffer.from('c7e0eaebe0e4eae820e220c0ebece0f2fb', 'hex'),
            Buffer.from(': cp1251</p></body></html>'),
          ]),
        );
    case '/koi8':
      return res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          Buffer.concat([
            Buffer.from(
              '<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head><body><p>',
            ),
            Buffer.from('fac1cbccc1c4cbc920d720e1cccdc1d4d9', 'hex'),
            Buffer.from(': koi8</p></body></html>'),
          ]),
        );
    case '/no-type':
      res.removeHeader('content-type');
      return res.writeHead(200).end(html(`<p>${RU}: no type</p>`));
    case '/truncated':
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><body><div><p>${RU}: truncated <a href="https://t.me/some_chan`);
    default:
      return res.writeHead(404).end();
  }
});

let origin = '';
let rt: Runtime;
beforeAll(async () => {
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // Only 127.0.0.1 is allowed, not every private address.
  const config = loadConfig({ DOZOR_HOME: tmpHome(), DOZOR_ALLOW_ADDRESSES: '127.0.0.1' });
  rt = await openRuntime(config, { log: () => {} });
  setFetchServices(
    config,
    createFetchServices({
      userAgent: config.userAgent,
      allow: config.allowAddresses,
      hostDelayMs: 0,
      hostConcurrency: 8,
      retry: { retries: 1, baseDelayMs: 10 },
      limits: { maxBytes: 2 * 1024 * 1024, timeoutMs: 1_000 },
    }),
  );
});
afterAll(async () => {
  await rt?.close();
  site.closeAllConnections();
  site.close();
});

describe('a crawl over bad input', () => {
  it('records each bad page as its error and stores and parses the rest', async () => {
    const paths = [
      '/huge',
      '/loop',
      '/hang',
      '/cut',
      '/png-as-html',
      '/cp1251',
      '/koi8',
      '/no-type',
      '/truncated',
      '/good',
    ];
    const started = Date.now();
    const { summary, failedSeeds } = await crawl(rt.ctx, {
      seeds: paths.map((p) => origin + p),
      depth: 0,
      noCapture: true,
      concurrency: 4,
    });
    expect(Date.now() - started).toBeLessThan(15_000);

    const reasons = Object.fromEntries(failedSeeds.map((f) => [new URL(f.url).pathname, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['/cut', '/hang', '/huge', '/loop', '/png-as-html']);
    expect(reasons['/huge']).toBe(`${origin}/huge is larger than 2097152 bytes`);
    expect(reasons['/loop']).toBe(`redirect loop: ${origin}/loop2 redirects back to ${origin}/loop`);
    expect(reasons['/hang']).toBe(`no complete response from ${origin}/hang within the total deadline`);
    expect(reasons['/cut']).toMatch(
      /^connection closed mid-body by 127\.0\.0\.1:\d+$|^cannot fetch .*\/cut: aborted$/,
    );
    expect(reasons['/png-as-html']).toBe(
      `${origin}/png-as-html is not a page: image/png (declared text/html)`,
    );
    for (const r of Object.values(reasons)) expect(r).not.toContain('\n');
    expect(sent50).toBeLessThan(20 * 1024 * 1024); // the 50 MB page was cut off, not read

    expect(summary.pages).toBe(5);
    expect(summary.errors).toBe(5);
    const texts = await rt.ctx.db
      .select({ url: pages.url, text: listings.text })
      .from(listings)
      .innerJoin(pages, eq(pages.id, listings.pageId));
    const byPath = Object.fromEntries(texts.map((t) => [new URL(t.url).pathname, t.text]));
    expect(byPath['/good']).toContain(`${RU}: good`);
    expect(byPath['/cp1251']).toContain(`${RU}: cp1251`);
    expect(byPath['/koi8']).toContain(`${RU}: koi8`);
    expect(byPath['/no-type']).toContain(`${RU}: no type`);
    expect(byPath['/truncated']).toContain(`${RU}: truncated`);
  });
});
