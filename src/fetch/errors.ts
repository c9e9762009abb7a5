/**
 * Why a fetch failed, and whether trying again can help. The classification is shared by the
 * in-process retry loop and by queue workers (a retryable error re-queues with backoff, the rest
 * fail the job at once).
 */
export type FetchErrorCode =
  | 'blocked'
  | 'bad_url'
  | 'robots'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'network'
  | 'http'
  | 'bad_content'
  | 'render';

/** Codes that are worth another try; `http` depends on the status (see isRetryableStatus). */
const retryableCodes = new Set<FetchErrorCode>(['timeout', 'network']);

/** True for HTTP statuses that may succeed later: 408, 425, 429 and 5xx (but not 501). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501);
}

/** A failed fetch, named for what should happen next. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly retryable: boolean;
  /** The HTTP status, for `http` errors. */
  readonly status?: number;
  /** How long the server asked us to wait before retrying (Retry-After), in ms. */
  readonly retryAfterMs?: number;
  constructor(
    code: FetchErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'FetchError';
    this.code = code;
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
    this.retryable =
      retryableCodes.has(code) || (options?.status !== undefined && isRetryableStatus(options.status));
  }
}

/** Whether `err` is worth retrying: a retryable FetchError, or a bare network error from Node. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof FetchError) return err.retryable;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (
    typeof code === 'string' &&
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH'].includes(code)
  );
}

/** Parses a Retry-After header (seconds or an HTTP date) into ms from `now`; undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
