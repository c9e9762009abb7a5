/** The CLI around crawling: per-source settings, approval of discovered sources, `watch --once`, and a clean stop on SIGTERM. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { root, runCli, tmpHome } from '../helpers.ts';

let fixtures: FixtureServer;
let env: Record<string, string>;
beforeAll(async () => {
  fixtures = await startFixtureServer();
  env = {
    DOZOR_HOME: tmpHome(),
    DOZOR_TELEGRAM_BASE: fixtures.origin,
    DOZOR_ALLOW_PRIVATE: '1',
    DOZOR_DISCOVERED: 'approve',
  };
});
afterAll(() => fixtures?.close());

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('sources and watch', () => {
  it('stores render and robots settings per source', async () => {
    const add = await runCli(
      ['sources', 'add', 'https://t.me/almaty_shop', '--every', '1h', '--render', 'http', '--no-robots'],
      env,
    );
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/^1 https:\/\/t\.me\/s\/almaty_shop\n$/);
    const [s] = lines((await runCli(['sources', 'list', '--json'], env)).stdout);
    expect(s).toMatchObject({ render: 'http', respectRobots: false, approved: true, state: 'new' });
  });

  it('watch --once crawls what is due, lists discoveries as pending, and approve releases them', async () => {
    const w = await runCli(['watch', '--once', '--no-capture', '--json'], env);
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);
    expect(lines(w.stdout)[0]).toMatchObject({ pages: 2, errors: 0 });
    const again = await runCli(['watch', '--once', '--no-capture'], env);
    expect(again.stderr).toBe('nothing due\n');
    const pending = lines((await runCli(['sources', 'list', '--pending', '--json'], env)).stdout);
    const hidden = pending.find((p) => p.url === 'https://t.me/s/hidden_stash');
    expect(hidden).toMatchObject({ state: 'pending', kind: 'telegram' });
    const ok = await runCli(['sources', 'approve', String(hidden.id)], env);
    expect(ok.stdout).toBe(`${hidden.id} https://t.me/s/hidden_stash approved\n`);
  });

  it('watch stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin/dozor.js'), 'watch', '--no-capture', '--idle', '30s'],
      {
        env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', DEBUG: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // wait until it sleeps (nothing is due), then stop it; start-up time varies with load
    await new Promise<void>((r) => {
      const check = () => (stderr.includes('waiting') ? r() : setTimeout(check, 100));
      check();
    });
    const t0 = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(stderr).toContain('stopping');
  }, 40_000);
});
