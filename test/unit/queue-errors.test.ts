/** Failed jobs: which errors are retried with backoff and which fail at once. */
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import { forQueue, isLastTry } from '../../src/queue/errors.ts';
import { jobIdOf, parseStages } from '../../src/queue/names.ts';

describe('queue error classification', () => {
  it('does not retry a 404, a blocked address or robots.txt', () => {
    for (const err of [
      new FetchError('http', 'HTTP 404 from x', { status: 404 }),
      new FetchError('blocked', 'private address'),
      new FetchError('robots', 'disallowed'),
    ]) {
      const e = forQueue(err);
      expect(e).toBeInstanceOf(UnrecoverableError);
      expect(e.message).toBe(err.message);
      expect(isLastTry(e, 0, 10)).toBe(true);
    }
  });

  it('retries timeouts, 503s and database outages until the attempts are used up', () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (const err of [
      new FetchError('timeout', 'timed out'),
      new FetchError('http', 'HTTP 503', { status: 503 }),
      outage,
    ]) {
      const e = forQueue(err);
      expect(e).not.toBeInstanceOf(UnrecoverableError);
      expect(e).toBe(err);
      expect(isLastTry(e, 3, 10)).toBe(false);
      expect(isLastTry(e, 9, 10)).toBe(true);
    }
  });
});

describe('job ids and stages', () => {
  it('derives job ids from the ids the job carries (no ":" for BullMQ)', () => {
    expect(jobIdOf('fetch', 12)).toBe('fetch-12');
    expect(jobIdOf('capture', 12, 7)).toBe('capture-12-7');
  });

  it('parses --stages and names an unknown stage', () => {
    expect(parseStages('fetch, qr,fetch')).toEqual(['fetch', 'qr']);
    expect(() => parseStages('fetch,ocr')).toThrow(/unknown stage "ocr"/);
  });
});
