/**
 * Redis for the queues: connection options from REDIS_URL, the key prefix (`{dozor}` on a Redis
 * Cluster, so every key of a queue hashes to one slot), and a start-up check that fails in one line.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** How the queues reach Redis. */
export interface QueueConnection {
  url: string;
  /** Key prefix of every queue. Env DOZOR_QUEUE_PREFIX. @default dozor */
  prefix: string;
}

/** The queue connection for an environment's REDIS_URL; throws when it is unset. */
export function queueConnection(
  redisUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): QueueConnection {
  if (!redisUrl) throw new Error('distributed mode needs REDIS_URL (e.g. redis://127.0.0.1:6379)');
  return { url: redisUrl, prefix: env.DOZOR_QUEUE_PREFIX || 'dozor' };
}

/**
 * A new ioredis client for BullMQ: commands wait through a Redis restart (maxRetriesPerRequest
 * null) and reconnects back off up to 2 s, so workers resume on their own.
 */
export function redisClient(conn: QueueConnection, extra: RedisOptions = {}): Redis {
  const client = new Redis(conn.url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    ...extra,
  });
  client.on('error', () => {}); // reconnects are automatic; failures surface in the commands
  return client;
}

/** Pings Redis once; throws `cannot reach Redis at URL: reason` when it does not answer. */
export async function checkRedis(conn: QueueConnection, timeoutMs = 3000): Promise<void> {
  const client = new Redis(conn.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new Error(`cannot reach Redis at ${redactRedis(conn.url)}: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    client.disconnect();
  }
}

/** Hides a password in a Redis URL. */
export function redactRedis(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
