/**
 * How a failed job is retried: fetch errors that cannot get better (a 404, a blocked address,
 * robots.txt) fail the job at once; everything else (timeouts, 5xx, a database or Redis that is
 * restarting) is retried with exponential backoff.
 */
import { UnrecoverableError } from 'bullmq';
import { FetchError } from '../fetch/errors.ts';

/** The error to throw from a job: UnrecoverableError when retrying cannot help, else `err` itself. */
export function forQueue(err: unknown): Error {
  if (err instanceof UnrecoverableError) return err;
  if (err instanceof FetchError && !err.retryable) {
    const e = new UnrecoverableError(err.message);
    (e as Error & { cause?: unknown }).cause = err;
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** True when this try is the job's last: the error is unrecoverable or the attempts are used up. */
export function isLastTry(err: Error, attemptsMade: number, attempts: number | undefined): boolean {
  return err instanceof UnrecoverableError || attemptsMade + 1 >= (attempts ?? 1);
}
