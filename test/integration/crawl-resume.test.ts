/**
 * A crawl killed with SIGKILL resumes where it stopped: the next crawl continues the same run and
 * fetches none of the pages already stored. The CLI runs as a child process on this machine's
 * Postgres, so the test can watch the frontier while the crawl is running.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeneratedSite } from '../../fixtures/server.ts';
import { type GenChannel, genPosts, renderChannelPage } from '../../fixtures/site/telegram/generate.ts';
import { freshPostgres, root, runCli, tmpHome } from '../helpers.ts';

const channels = new Map<string, GenChannel>(
  ['kill_a', 'kill_b', 'kill_c'].map((name) => [
    name,
    { name, title: name, posts: genPosts(70, (id) => `${name} post ${id}`) },
  ]),
);
const PAGES = 12; // 70 posts, 20 a page: 4 pages each

let db: Awaited<ReturnType<typeof freshPostgres>>;
let client: pg.Client;
const site = await startGeneratedSite((url) => {
  const m = /^\/s\/(\w+)$/.exec(url.pathname);
  const c = m && channels.get(m[1]!);
  if (!c) return undefined;
  const before = url.searchParams.get('before');
  return { body: renderChannelPage(c, before ? Number(before) : undefined) };
});

beforeAll(async () => {
  db = await freshPostgres();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await site.close();
  await db?.drop();
});

const q = async <T>(text: string) => (await client.query(text)).rows as T[];

describe('crawl resume after SIGKILL', () => {
  it('resumes the run and refetches nothing already stored', async () => {
    const env = { DATABASE_URL: db.url, DOZOR_HOME: tmpHome(), DOZOR_TELEGRAM_BASE: site.origin };
    const args = [
      'crawl',
      ...[...channels.keys()].flatMap((n) => ['--seed', `https://t.me/s/${n}`]),
      '--allow-private',
      '--no-capture',
      '--json',
      '--concurrency',
      '2',
    ];
    // first run: killed once a few pages are done, with others in flight
    let served = 0;
    const child = spawn(process.execPath, [join(root, 'bin/dozor.js'), ...args], {
      env: { ...process.env, REDIS_URL: '', DEBUG: '', ...env },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rows = await q<{ done: string }>(
        "select count(*) as done from frontier where state = 'done'",
      ).catch(() => [{ done: '0' }]);
      served = Number(rows[0]?.done ?? 0);
      if (served >= 5 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(served).toBeGreaterThanOrEqual(5);

    const stored = await q<{ url: string }>('select distinct url from pages');
    const doneBefore = await q<{ url: string }>("select url from frontier where state = 'done'");
    expect(stored.length).toBeGreaterThanOrEqual(doneBefore.length);
    expect(stored.length).toBeLessThan(PAGES); // killed before the end
    const [run] = await q<{ finished_at: Date | null }>('select finished_at from crawl_runs');
    expect(run!.finished_at).toBeNull();

    // second run: resumes the same run; none of the stored pages is fetched again
    site.requests.length = 0;
    const r = await runCli(args, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const refetched = site.requests
      .map((p) => `https://t.me${p}`)
      .filter((u) => stored.some((s) => s.url === u));
    expect(refetched).toEqual([]);
    expect(JSON.parse(r.stdout).pages).toBe(PAGES - stored.length);
    expect(await q('select id from crawl_runs where finished_at is null')).toEqual([]);
    expect((await q('select id from crawl_runs')).length).toBe(1);
    expect(await q<{ n: string }>('select count(distinct url) as n from pages')).toEqual([
      { n: String(PAGES) },
    ]);
    expect(await q("select url from frontier where state <> 'done'")).toEqual([]);
  }, 120_000);
});
