/**
 * A polite fetch: robots.txt (when asked), a per-host slot from the HostLimiter, and retries with
 * backoff on 5xx, 429 and timeouts. The guarded fetcher underneath applies the address policy and caps.
 */
import type { AddressPolicy } from './address-policy.ts';
import { FetchError, isRetryableStatus, parseRetryAfter } from './errors.ts';
import { type FetchOptions, type FetchResult, fetchUrl } from './fetch-url.ts';
import { createMemoryHostLimiter, type HostLimiter } from './host-limiter.ts';
import { type RetryOptions, withRetries } from './retry.ts';
import { createRobotsCache, ROBOTS_MAX_BYTES, type RobotsCache } from './robots.ts';

/** What a crawl process shares between fetches: the host limiter, the robots cache, retry policy. */
export interface FetchServices {
  limiter: HostLimiter;
  robots: RobotsCache;
  retry: RetryOptions;
  /** Caps applied to every fetch unless the call sets its own (timeouts, body size). */
  limits?: Pick<
    FetchOptions,
    'timeoutMs' | 'connectTimeoutMs' | 'readTimeoutMs' | 'maxBytes' | 'maxRedirects'
  >;
}

/** Settings for createFetchServices. */
export interface FetchServicesOptions extends AddressPolicy {
  userAgent: string;
  /** A shared limiter (e.g. Redis-backed); an in-memory one otherwise. */
  limiter?: HostLimiter;
  /** Requests in flight per host (in-memory limiter). @default 2 */
  hostConcurrency?: number;
  /** Minimum ms between request starts per host (in-memory limiter). @default 250 */
  hostDelayMs?: number;
  retry?: RetryOptions;
  /** Caps applied to every fetch (see FetchServices.limits). */
  limits?: FetchServices['limits'];
  /** How long a robots.txt is cached, in ms. @default 24 h */
  robotsTtlMs?: number;
}

/** Creates the services one crawl process shares; the robots fetch itself is polite and guarded too. */
export function createFetchServices(opts: FetchServicesOptions): FetchServices {
  const limiter =
    opts.limiter ?? createMemoryHostLimiter({ concurrency: opts.hostConcurrency, delayMs: opts.hostDelayMs });
  const robots = createRobotsCache({
    userAgent: opts.userAgent,
    ttlMs: opts.robotsTtlMs,
    fetch: async (robotsUrl) => {
      const release = await limiter.acquire(new URL(robotsUrl).host);
      try {
        const res = await fetchUrl(robotsUrl, {
          ...opts,
          maxBytes: ROBOTS_MAX_BYTES,
          onTooLarge: 'truncate',
          timeoutMs: 10_000,
        });
        return { status: res.status, body: res.body };
      } catch (err) {
        // A refused address: the page fetch is refused by the same guard and says why itself,
        // so robots.txt has nothing to add (answer as if there were none).
        if (err instanceof FetchError && err.code === 'blocked')
          return { status: 404, body: Buffer.alloc(0) };
        throw err;
      } finally {
        release();
      }
    },
  });
  return { limiter, robots, retry: opts.retry ?? {}, limits: opts.limits };
}

/**
 * Fetches `url` politely: refused with FetchError `robots` when robots.txt disallows it (and
 * `respectRobots` is on), otherwise fetched in a host slot and retried on retryable failures.
 * A retryable status that persists becomes FetchError `http`; other statuses are returned.
 */
export async function politeFetch(
  url: string,
  services: FetchServices,
  opts: FetchOptions & { respectRobots?: boolean },
): Promise<FetchResult> {
  const { respectRobots, ...callOpts } = opts;
  const fetchOpts = { ...services.limits, ...callOpts };
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    throw new FetchError('bad_url', `not a URL: ${url.slice(0, 200)}`);
  }
  let crawlDelayMs: number | undefined;
  if (respectRobots) {
    const verdict = await services.robots.check(url);
    if (!verdict.allowed) throw new FetchError('robots', verdict.reason ?? `robots.txt disallows ${url}`);
    crawlDelayMs = verdict.crawlDelayMs;
  }
  return withRetries(async () => {
    const release = await services.limiter.acquire(
      host,
      crawlDelayMs ? { delayMs: crawlDelayMs } : undefined,
    );
    try {
      const res = await fetchUrl(url, fetchOpts);
      if (isRetryableStatus(res.status)) {
        throw new FetchError('http', `HTTP ${res.status} from ${res.finalUrl}`, {
          status: res.status,
          retryAfterMs: parseRetryAfter(res.headers['retry-after']),
        });
      }
      return res;
    } finally {
      release();
    }
  }, services.retry);
}
