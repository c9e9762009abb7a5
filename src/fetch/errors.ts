/** Why a fetch failed; `retryable` tells a queue whether trying again can help. */
export type FetchErrorCode =
  | 'blocked'
  | 'bad_url'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'network'
  | 'http';

const retryableCodes = new Set<FetchErrorCode>(['timeout', 'network']);

/** A failed fetch, named for what should happen next. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly retryable: boolean;
  /** The HTTP status, for `http` errors. */
  readonly status?: number;
  constructor(code: FetchErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = 'FetchError';
    this.code = code;
    this.status = options?.status;
    this.retryable = retryableCodes.has(code) || (options?.status !== undefined && options.status >= 500);
  }
}
