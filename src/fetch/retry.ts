/** Retries with exponential backoff and jitter, honouring a server's Retry-After up to a cap. */
import { FetchError, isRetryable } from './errors.ts';

/** How often and how long to retry. */
export interface RetryOptions {
  /** Tries after the first. @default 2 */
  retries?: number;
  /** First backoff, in ms; doubled each try. @default 500 */
  baseDelayMs?: number;
  /** Largest backoff, in ms. @default 10000 */
  maxDelayMs?: number;
  /** Largest wait granted to a Retry-After header, in ms. @default 30000 */
  maxRetryAfterMs?: number;
  /** Random number in [0, 1) for jitter (tests fix it). @default Math.random */
  random?: () => number;
  /** Waits `ms` (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** The wait before retry number `attempt` (0-based) after `err`. */
export function backoffDelay(attempt: number, err: unknown, opts: RetryOptions = {}): number {
  const retryAfter = err instanceof FetchError ? err.retryAfterMs : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter, opts.maxRetryAfterMs ?? 30_000);
  const ceiling = Math.min(opts.maxDelayMs ?? 10_000, (opts.baseDelayMs ?? 500) * 2 ** attempt);
  // "Equal jitter": at least half the exponential step, so the backoff still grows.
  return Math.round(ceiling / 2 + (opts.random ?? Math.random)() * (ceiling / 2));
}

/** Runs `fn`, retrying retryable failures (see isRetryable); rethrows the last error. */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 2;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= retries || !isRetryable(err)) throw err;
      const delay = backoffDelay(attempt, err, opts);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
