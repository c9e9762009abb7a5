/**
 * Distributed mode survives crashes: three `dozor worker` processes crawl a generated 1 000-page
 * site while one worker is SIGKILLed and restarted, Redis is restarted and Postgres is restarted.
 * Afterwards the database holds exactly what an embedded run of the same site holds: every page
 * once, the same listings and detections, no frontier row lost. Redis and Postgres are private
 * servers started by the test (the machine's shared ones serve other tests and are never touched).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedChannels, startDistributedSite } from '../../bench/distributed-site.ts';
import { loadConfig } from '../../src/config/config.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime } from '../../src/pipeline/runtime.ts';
import { root, tmpHome } from '../helpers.ts';
import { privatePostgres, privateRedis } from './distributed-services.ts';

const CHANNELS = Number(process.env.DOZOR_CHAOS_CHANNELS || 100);
const PAGES_PER_CHANNEL = 10; // 1 000 pages
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let site: Awaited<ReturnType<typeof startDistributedSite>>;
let redis: Awaited<ReturnType<typeof privateRedis>>;
let postgres: Awaited<ReturnType<typeof privatePostgres>>;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  site = await startDistributedSite(generatedChannels(CHANNELS, PAGES_PER_CHANNEL));
  redis = await privateRedis();
  postgres = await privatePostgres();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await site?.close();
  await redis?.close();
  postgres?.close();
});

/** The content a run leaves, in comparable form. */
const CONTENT = {
  pages: 'select url, count(*)::int as n from pages group by url order by url',
  listings: 'select permalink, text_sha256 from listings order by permalink, text_sha256',
  detections: `select l.permalink, d.verdict, d.flagged, count(*)::int as n from detections d
               join listings l on l.id = d.listing_id group by 1, 2, 3 order by 1`,
  frontier: 'select url, state, depth, page_no from frontier order by url',
  bundles: 'select listing_id, count(*)::int as n from bundles group by 1 order by 1',
};

async function contentOf(query: (text: string) => Promise<unknown[]>) {
  const out: Record<string, unknown[]> = {};
  for (const [k, text] of Object.entries(CONTENT)) out[k] = await query(text);
  return out;
}

function spawnDozor(args: string[], env: Record<string, string>, log: string[]) {
  const child = spawn(process.execPath, [join(root, 'bin/dozor.js'), ...args], {
    env: { ...process.env, DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const keep = (d: Buffer) => {
    log.push(String(d));
    if (process.env.DOZOR_CHAOS_VERBOSE) process.stderr.write(`[${child.pid}] ${d}`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return child;
}

describe('distributed crawl under crashes', () => {
  it('ends with exactly what the embedded run stores', async () => {
    // the reference: the embedded runner on PGlite
    const e0 = Date.now();
    const home = tmpHome();
    const config = { ...loadConfig({ DOZOR_HOME: home }), allowPrivate: true, telegramBase: site.origin };
    const rt = await openRuntime(config, { log: () => {} });
    let embedded: Record<string, unknown[]>;
    try {
      const r = await crawl(rt.ctx, { seeds: site.seeds, maxPages: 5000, noCapture: true, concurrency: 4 });
      expect(r.summary.pages).toBe(CHANNELS * PAGES_PER_CHANNEL);
      console.log(`embedded run: ${(Date.now() - e0) / 1000}s`);
      embedded = await contentOf(
        async (text) => ((await rt.handle.db.execute(sql.raw(text))) as unknown as { rows: unknown[] }).rows,
      );
    } finally {
      await rt.close();
    }

    const t0 = Date.now();
    const pgUrl = postgres.url;
    const env = {
      DATABASE_URL: pgUrl,
      REDIS_URL: redis.url,
      DOZOR_HOME: tmpHome(),
      DOZOR_TELEGRAM_BASE: site.origin,
      DOZOR_JOB_LOCK_MS: '3000',
    };
    const log: string[] = [];
    const worker = () => spawnDozor(['worker', '--allow-private', '--concurrency', '3'], env, log);
    const workers = [worker(), worker(), worker()];
    const crawler = spawnDozor(
      [
        'crawl',
        ...site.seeds.flatMap((s) => ['--seed', s]),
        '--max-pages',
        '5000',
        '--no-capture',
        '--json',
        '--allow-private',
      ],
      env,
      log,
    );
    const crawlExit = new Promise<number>((r) => crawler.once('exit', (code) => r(code ?? -1)));

    const client = () => new pg.Client({ connectionString: pgUrl });
    const done = async () => {
      const c = client();
      try {
        await c.connect();
        const { rows } = await c.query("select count(*)::int as n from frontier where state = 'done'");
        return rows[0].n as number;
      } catch {
        return 0;
      } finally {
        await c.end().catch(() => {});
      }
    };
    const waitFor = async (n: number) => {
      for (let d = await done(); d < n; d = await done()) {
        if (process.env.DOZOR_CHAOS_VERBOSE) process.stderr.write(`done ${d}/${n}\n`);
        await sleep(500);
      }
    };

    const total = CHANNELS * PAGES_PER_CHANNEL;
    await waitFor(total * 0.15);
    workers[0]!.kill('SIGKILL');
    await new Promise((r) => workers[0]!.once('exit', r));
    workers[0] = worker();
    await waitFor(total * 0.4);
    await redis.restart();
    await waitFor(total * 0.65);
    postgres.restart();

    expect(await crawlExit).toBe(0);
    console.log(`distributed run: ${(Date.now() - t0) / 1000}s`);
    const summary = JSON.parse(log.find((l) => l.startsWith('{"pages"'))!);
    expect(summary.pages).toBe(CHANNELS * PAGES_PER_CHANNEL);

    const c = client();
    await c.connect();
    try {
      const distributed = await contentOf(async (text) => (await c.query(text)).rows);
      expect(distributed.pages).toEqual(embedded.pages); // every page once
      expect(distributed.listings).toEqual(embedded.listings);
      expect(distributed.detections).toEqual(embedded.detections); // every listing scored once: no lost job
      expect(distributed.frontier).toEqual(embedded.frontier);
      expect(distributed.bundles).toEqual(embedded.bundles);
      const { rows } = await c.query('select count(*)::int as n from crawl_runs where finished_at is null');
      expect(rows[0].n).toBe(0);
    } finally {
      await c.end();
    }
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : null)),
    );
    // graceful stop: active jobs finish, then exit 0
    expect(
      workers.map((w) => w.exitCode ?? w.signalCode),
      log.slice(-5).join(''),
    ).toEqual([0, 0, 0]);
  }, 180_000);
});
