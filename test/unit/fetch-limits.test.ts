/** Body, time and redirect caps, and retries with backoff, against a local server. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, isRetryable, parseRetryAfter } from '../../src/fetch/errors.ts';
import { fetchUrl } from '../../src/fetch/fetch-url.ts';
import { createMemoryHostLimiter } from '../../src/fetch/host-limiter.ts';
import { type FetchServices, politeFetch } from '../../src/fetch/polite-fetch.ts';
import { backoffDelay } from '../../src/fetch/retry.ts';

const allow = { allow: ['127.0.0.1'] };
let origin = '';
let bytesSent = 0;
const hits = new Map<string, number>();
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  if (path === '/huge') {
    // 50 MB, streamed without a Content-Length, as fast as the client reads.
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = 50 * 1024 * 1024;
    const pump = () => {
      while (left > 0) {
        left -= chunk.length;
        bytesSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (left = 0));
    return pump();
  }
  if (path === '/declared-huge') {
    res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
    return res.write('x');
  }
  if (path === '/slowloris') {
    res.writeHead(200, { 'content-type': 'text/html' });
    const t = setInterval(() => res.write('<p>'), 50);
    return res.on('close', () => clearInterval(t));
  }
  if (path === '/a') return res.writeHead(302, { location: '/b' }).end();
  if (path === '/b') return res.writeHead(302, { location: '/a' }).end();
  if (path.startsWith('/chain/')) {
    const i = Number(path.split('/')[2]);
    return res.writeHead(302, { location: `/chain/${i + 1}` }).end();
  }
  if (path === '/missing') return res.writeHead(404).end('no');
  if (path === '/flaky') return n < 3 ? res.writeHead(503).end() : res.end('recovered');
  if (path === '/busy') return n < 2 ? res.writeHead(429, { 'retry-after': '7' }).end() : res.end('ok');
  if (path === '/down') return res.writeHead(500).end();
  res.end('ok');
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('caps', () => {
  it('cuts a 50 MB page at the cap without reading it all', async () => {
    const before = process.memoryUsage().rss;
    const err = await fetchUrl(`${origin}/huge`, { ...allow, maxBytes: 1024 * 1024 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'too_large', retryable: false });
    expect(err.message).toMatch(/larger than 1048576 bytes/);
    expect(bytesSent).toBeLessThan(20 * 1024 * 1024); // the server was stopped early
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('can keep the first bytes of a huge page instead, flagged as truncated', async () => {
    const r = await fetchUrl(`${origin}/huge`, { ...allow, maxBytes: 100_000, onTooLarge: 'truncate' });
    expect(r.body.length).toBe(100_000);
    expect(r.truncated).toBe(true);
  });

  it('refuses a declared length over the cap before reading', async () => {
    await expect(fetchUrl(`${origin}/declared-huge`, { ...allow, maxBytes: 1000 })).rejects.toMatchObject({
      code: 'too_large',
    });
  });

  it('aborts a body that never finishes at the total deadline, though bytes keep coming', async () => {
    const started = Date.now();
    const err = await fetchUrl(`${origin}/slowloris`, {
      ...allow,
      timeoutMs: 400,
      readTimeoutMs: 5_000,
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(err.message).toMatch(/total deadline/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('names a redirect loop as a loop', async () => {
    const err = await fetchUrl(`${origin}/a`, allow).catch((e) => e);
    expect(err).toMatchObject({ code: 'redirect_loop', retryable: false });
    expect(err.message).toBe(`redirect loop: ${origin}/b redirects back to ${origin}/a`);
  });

  it('stops a long redirect chain at the cap', async () => {
    await expect(fetchUrl(`${origin}/chain/0`, { ...allow, maxRedirects: 3 })).rejects.toMatchObject({
      code: 'too_many_redirects',
    });
  });
});

describe('retries', () => {
  const waits: number[] = [];
  const services = (): FetchServices => ({
    limiter: createMemoryHostLimiter({ delayMs: 0 }),
    robots: { check: async () => ({ allowed: true }) },
    retry: {
      retries: 3,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
      maxRetryAfterMs: 5_000,
    },
  });

  it('retries 5xx with growing backoff until it succeeds', async () => {
    waits.length = 0;
    const r = await politeFetch(`${origin}/flaky`, services(), allow);
    expect(r.body.toString()).toBe('recovered');
    expect(hits.get('/flaky')).toBe(3);
    expect(waits).toEqual([375, 750]); // 500·2^n with equal jitter at 0.5
  });

  it('honours Retry-After on 429, capped', async () => {
    waits.length = 0;
    const r = await politeFetch(`${origin}/busy`, services(), allow);
    expect(r.body.toString()).toBe('ok');
    expect(waits).toEqual([5_000]); // asked for 7 s, capped at 5 s
  });

  it('does not retry a 404', async () => {
    waits.length = 0;
    const r = await politeFetch(`${origin}/missing`, services(), allow);
    expect(r.status).toBe(404);
    expect(hits.get('/missing')).toBe(1);
    expect(waits).toEqual([]);
  });

  it('gives up after the last retry with a one-line HTTP error', async () => {
    const err = await politeFetch(`${origin}/down`, services(), allow).catch((e) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'http', status: 500, retryable: true });
    expect(hits.get('/down')).toBe(4);
  });

  it('classifies errors for queue workers', () => {
    expect(isRetryable(new FetchError('timeout', 't'))).toBe(true);
    expect(isRetryable(new FetchError('http', 'h', { status: 404 }))).toBe(false);
    expect(isRetryable(new FetchError('http', 'h', { status: 503 }))).toBe(true);
    expect(isRetryable(new FetchError('blocked', 'b'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString(), Date.now())).toBeGreaterThan(58_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(backoffDelay(10, new Error(), { random: () => 1 })).toBe(10_000);
  });
});
