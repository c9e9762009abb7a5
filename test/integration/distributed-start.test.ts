/** Bad input at start: an unreachable Redis or Postgres is one clear line and exit 1; so is a bad stage. */
import { describe, expect, it } from 'vitest';
import { runCli, tmpHome } from '../helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('distributed mode start-up', () => {
  it('refuses to start a worker when Redis is unreachable', async () => {
    const r = await runCli(['worker'], { REDIS_URL: 'redis://127.0.0.1:1', DOZOR_HOME: tmpHome() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dozor: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .+\n$/);
  });

  it('refuses to start a worker when Postgres is unreachable', async () => {
    const r = await runCli(['worker'], {
      REDIS_URL,
      DATABASE_URL: 'postgres://dozor:secret@127.0.0.1:1/none',
      DOZOR_HOME: tmpHome(),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^dozor: cannot reach Postgres at postgres:\/\/dozor:\*\*\*@127\.0\.0\.1:1\/none: .+\n$/,
    );
  });

  it('names an unknown stage as a usage error', async () => {
    const r = await runCli(['worker', '--stages', 'fetch,ocr'], { REDIS_URL, DOZOR_HOME: tmpHome() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown stage "ocr"/);
  });

  it('status and crawl say Redis is unreachable in one line', async () => {
    for (const args of [['status'], ['crawl', '--seed', 'https://t.me/s/x', '--detach']]) {
      const r = await runCli(args, { REDIS_URL: 'redis://127.0.0.1:1', DOZOR_HOME: tmpHome() });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/cannot reach Redis/);
    }
  });
});
