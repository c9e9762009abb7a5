/** Per-host concurrency and delay, and robots.txt applied by politeFetch. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryHostLimiter } from '../../src/fetch/host-limiter.ts';
import { createFetchServices, politeFetch } from '../../src/fetch/polite-fetch.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('in-memory host limiter', () => {
  it('keeps at most N requests in flight per host, and hosts apart', async () => {
    const limiter = createMemoryHostLimiter({ concurrency: 2, delayMs: 0 });
    let active = 0;
    let peak = 0;
    const job = async (host: string) => {
      const release = await limiter.acquire(host);
      active++;
      peak = Math.max(peak, active);
      await sleep(20);
      active--;
      release();
      release(); // a second release is harmless
    };
    await Promise.all(Array.from({ length: 8 }, () => job('a.test')));
    expect(peak).toBe(2);
    // Another host is not held up by a busy one.
    const hold = await limiter.acquire('busy.test');
    await limiter.acquire('busy.test');
    const t = Date.now();
    (await limiter.acquire('free.test'))();
    expect(Date.now() - t).toBeLessThan(50);
    hold();
  });

  it('spaces request starts to one host by the delay', async () => {
    const limiter = createMemoryHostLimiter({ concurrency: 4, delayMs: 60 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const release = await limiter.acquire('a.test');
        starts.push(Date.now());
        release();
      }),
    );
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(55);
  });
});

describe('politeFetch and robots.txt', () => {
  const seen: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers['user-agent']}`);
    if (req.url === '/robots.txt')
      return res.end('User-agent: *\nDisallow: /private\n\nUser-agent: slowbot\nCrawl-delay: 0.2\n');
    res.end('page');
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('refuses a disallowed path with a one-line reason, never requesting it, and fetches the rest', async () => {
    const opts = { allow: ['127.0.0.1'], userAgent: 'TestBot/2' };
    const services = createFetchServices({ ...opts, hostDelayMs: 0 });
    const err = await politeFetch(`${origin}/private/x`, services, { ...opts, respectRobots: true }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ code: 'robots', retryable: false });
    expect(err.message).toMatch(/^robots\.txt of 127\.0\.0\.1:\d+ disallows \/private\/x/);
    const ok = await politeFetch(`${origin}/public`, services, { ...opts, respectRobots: true });
    expect(ok.body.toString()).toBe('page');
    // Without respectRobots the same page is fetched.
    await politeFetch(`${origin}/private/y`, services, { ...opts, respectRobots: false });
    expect(seen).toEqual(['/robots.txt TestBot/2', '/public TestBot/2', '/private/y TestBot/2']);
  });

  it("spaces requests by the host's Crawl-delay for the agent it names", async () => {
    const opts = { allow: ['127.0.0.1'], userAgent: 'SlowBot/1' };
    const services = createFetchServices({ ...opts, hostDelayMs: 0, hostConcurrency: 4 });
    const starts: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async (i) => {
        await politeFetch(`${origin}/p${i}`, services, { ...opts, respectRobots: true });
        starts.push(Date.now());
      }),
    );
    starts.sort();
    expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(380);
  });
});
