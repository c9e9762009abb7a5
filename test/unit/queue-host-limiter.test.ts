/** The Redis host limiter: two limiter instances (two "machines") share per-host concurrency and delay. */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisHostLimiter } from '../../src/queue/redis-host-limiter.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const a = new Redis(REDIS_URL);
const b = new Redis(REDIS_URL);
afterAll(() => {
  a.disconnect();
  b.disconnect();
});
const prefix = () => `dozor-test-limiter-${process.pid}-${Math.random().toString(36).slice(2)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis host limiter across two machines', () => {
  it('never lets more than `concurrency` requests to a host run at once, summed over both', async () => {
    const p = prefix();
    const one = createRedisHostLimiter(a, { concurrency: 2, delayMs: 0, prefix: p, maxPollMs: 5 });
    const two = createRedisHostLimiter(b, { concurrency: 2, delayMs: 0, prefix: p, maxPollMs: 5 });
    let active = 0;
    let peak = 0;
    const request = async (limiter: typeof one) => {
      const release = await limiter.acquire('shop.example');
      active++;
      peak = Math.max(peak, active);
      await sleep(15);
      active--;
      release();
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => request(i % 2 ? one : two)));
    expect(peak).toBe(2);
  });

  it('spaces request starts to one host by the delay, whichever machine sends them', async () => {
    const p = prefix();
    const one = createRedisHostLimiter(a, { concurrency: 5, delayMs: 60, prefix: p, maxPollMs: 5 });
    const two = createRedisHostLimiter(b, { concurrency: 5, delayMs: 60, prefix: p, maxPollMs: 5 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await (i % 2 ? one : two).acquire('slow.example');
        starts.push(Date.now());
        release();
      }),
    );
    starts.sort((x, y) => x - y);
    // Six starts 60 ms apart span at least 300 ms. Single gaps are not checked: a grant's reply can
    // reach Node late under load, shrinking the next gap, but lateness never shortens the span much.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(5 * 60 - 15);
    // other hosts are not held up
    const t0 = Date.now();
    (await one.acquire('other.example'))();
    expect(Date.now() - t0).toBeLessThan(50);
  });

  it("frees a dead worker's slot after its TTL", async () => {
    const p = prefix();
    const dead = createRedisHostLimiter(a, { concurrency: 1, delayMs: 0, slotTtlMs: 1000, prefix: p });
    const alive = createRedisHostLimiter(b, {
      concurrency: 1,
      delayMs: 0,
      slotTtlMs: 1000,
      prefix: p,
      maxPollMs: 20,
    });
    await dead.acquire('stuck.example'); // never released: its process "died"
    const t0 = Date.now();
    const release = await alive.acquire('stuck.example');
    const waited = Date.now() - t0;
    release();
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(2000);
  });
});
