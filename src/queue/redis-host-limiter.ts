/**
 * Politeness shared by every worker on every machine: per host, at most N requests in flight and
 * a minimum delay between request starts, kept in Redis. A slot is a member of a sorted set scored
 * by its expiry, so the slot of a worker that died frees itself after `slotTtlMs`; one Lua script
 * grants a slot atomically using Redis's clock, so machines with skewed clocks still agree.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HostLimiter } from '../fetch/host-limiter.ts';

/** Options of the Redis limiter. */
export interface RedisHostLimiterOptions {
  /** Requests in flight per host, across all workers. @default 2 */
  concurrency?: number;
  /** Minimum ms between the starts of two requests to one host, across all workers. @default 250 */
  delayMs?: number;
  /** A held slot expires after this many ms (a crashed worker's slot frees itself). @default 60000 */
  slotTtlMs?: number;
  /** Key prefix (`{dozor}` on a Redis Cluster). @default dozor */
  prefix?: string;
  /** Longest wait between two tries, in ms. @default 200 */
  maxPollMs?: number;
}

// KEYS: slots zset, next-start key. ARGV: token, concurrency, delay, ttl.
// Returns 0 when granted, else the ms to wait before trying again.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(first[2]) - now)
end
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextStart then return nextStart - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return 0
`;

/** A HostLimiter whose slots and delays live in Redis, shared by every limiter on the same keys. */
export function createRedisHostLimiter(redis: Redis, opts: RedisHostLimiterOptions = {}): HostLimiter {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const delayMs = Math.max(0, opts.delayMs ?? 250);
  const ttl = Math.max(1000, opts.slotTtlMs ?? 60_000);
  const prefix = opts.prefix ?? 'dozor';
  const maxPoll = opts.maxPollMs ?? 200;
  const keysOf = (host: string) => {
    // both keys of a host in one Cluster slot: the prefix's hash tag, or the host's own
    const h = prefix.includes('{') ? host.toLowerCase() : `{${host.toLowerCase()}}`;
    return [`${prefix}:host:${h}:slots`, `${prefix}:host:${h}:next`];
  };
  return {
    async acquire(host) {
      const keys = keysOf(host);
      const token = randomUUID();
      for (;;) {
        const wait = Number(await redis.eval(ACQUIRE, 2, ...keys, token, concurrency, delayMs, ttl));
        if (wait === 0) break;
        await new Promise((r) => setTimeout(r, Math.min(wait, maxPoll)));
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        redis.zrem(keys[0]!, token).catch(() => {}); // if Redis is away, the slot expires by itself
      };
    },
  };
}
