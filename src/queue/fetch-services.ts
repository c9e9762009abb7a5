/** The fetch services of a queue worker: the same fetcher, with per-host politeness shared through Redis. */
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { isPrivateAddress } from '../fetch/address-policy.ts';
import { setFetchServices } from '../fetch/fetch-stage.ts';
import type { HostLimiter } from '../fetch/host-limiter.ts';
import { createFetchServices } from '../fetch/polite-fetch.ts';
import { createRedisHostLimiter } from './redis-host-limiter.ts';

/** Makes every fetch under `config` take its host slot from Redis (loopback exempt, as in embedded mode). */
export function useSharedPoliteness(config: Config, redis: Redis, prefix: string): void {
  const shared = createRedisHostLimiter(redis, {
    concurrency: config.hostConcurrency,
    delayMs: config.hostDelayMs,
    prefix,
  });
  setFetchServices(
    config,
    createFetchServices({
      allowPrivate: config.allowPrivate,
      allow: config.allowAddresses,
      userAgent: config.userAgent,
      limiter: loopbackExempt(shared),
    }),
  );
}

/** Politeness toward this machine protects no one; the demo, tests and benches crawl fixtures there. */
function loopbackExempt(inner: HostLimiter): HostLimiter {
  return {
    acquire: (host) => {
      const name = new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
      const loopback = /^127\.|^::1$/.test(name) && isPrivateAddress(name);
      return loopback ? Promise.resolve(() => {}) : inner.acquire(host);
    },
  };
}
