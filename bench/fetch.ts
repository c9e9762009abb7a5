/**
 * The guarded fetcher's cost: N small pages from a local server through fetchUrl (resolve, check,
 * pin, caps) and through politeFetch (plus host limiter and retry wrapper), against a plain
 * node:http loop with the same keep-alive agent and concurrency.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchUrl } from '../src/fetch/fetch-url.ts';
import { createFetchServices, politeFetch } from '../src/fetch/polite-fetch.ts';

const PAGE = Buffer.from(`<html><body>${'<p>Закладки в Алматы, доставка.</p>'.repeat(400)}</body></html>`);

async function timed(n: number, concurrency: number, one: (i: number) => Promise<number>) {
  for (let i = 0; i < 300; i++) await one(i); // warm up: JIT, sockets
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) bytes += await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    pages: n,
    seconds: Math.round(seconds * 100) / 100,
    'pages/s': Math.round(n / seconds),
    MB: Math.round(bytes / 1e6),
  };
}

function plainGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let size = 0;
        res.on('data', (c: Buffer) => (size += c.length));
        res.on('end', () => resolve(size));
      })
      .on('error', reject);
  });
}

/** Runs the three loops over `n` pages at concurrency 8. */
export async function benchFetch(n = 5000): Promise<object[]> {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const policy = { allow: ['127.0.0.1'] };
  const services = createFetchServices({ ...policy, userAgent: 'bench', hostConcurrency: 8, hostDelayMs: 0 });
  try {
    const rows: object[] = [];
    rows.push({ loop: 'plain node:http', ...(await timed(n, 8, (i) => plainGet(`${origin}/p${i}`))) });
    rows.push({
      loop: 'fetchUrl (guarded)',
      ...(await timed(n, 8, async (i) => (await fetchUrl(`${origin}/p${i}`, policy)).body.length)),
    });
    rows.push({
      loop: 'politeFetch (+limiter, retries)',
      ...(await timed(
        n,
        8,
        async (i) => (await politeFetch(`${origin}/p${i}`, services, policy)).body.length,
      )),
    });
    const base = (rows[0] as { 'pages/s': number })['pages/s'];
    for (const r of rows as { 'pages/s': number; 'vs plain'?: number }[])
      r['vs plain'] = Math.round((r['pages/s'] / base) * 100) / 100;
    return rows;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
