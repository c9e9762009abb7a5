/**
 * Distributed mode survives crashes, evidence capture included: three `dozor worker` processes
 * crawl a generated 1 000-page site with a few dozen shop adverts (each captured with a Chromium
 * screenshot). While captures are in flight a worker holding one is SIGKILLed and restarted, Redis
 * is restarted and Postgres is restarted. Afterwards the database holds exactly what an embedded
 * run of the same site holds: every page once, the same listings and detections, no frontier row
 * lost, one bundle per flagged listing with one `captured` custody event, custody chains that
 * verify, and every artifact's bytes in the shared blob store under its hash. Redis and Postgres
 * are private servers started by the test (the machine's shared ones are never touched).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedChannels, startDistributedSite } from '../../bench/distributed-site.ts';
import { openDb } from '../../db/client.ts';
import { sha256 } from '../../src/capture/hash.ts';
import { pgBlobStore } from '../../src/capture/pg-blobs.ts';
import { loadConfig } from '../../src/config/config.ts';
import { findBrokenLink } from '../../src/custody/chain.ts';
import { custodyEventsOf } from '../../src/custody/log.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime } from '../../src/pipeline/runtime.ts';
import { root, tmpHome } from '../helpers.ts';
import { privatePostgres, privateRedis } from './distributed-services.ts';

const CHANNELS = Number(process.env.DOZOR_CHAOS_CHANNELS || 100);
const PAGES_PER_CHANNEL = 10; // 1 000 pages
/** One shop advert in every SHOP_EVERY-th channel: 50 flagged posts (and screenshots) in 1 000 pages. */
const SHOP_EVERY = Number(process.env.DOZOR_CHAOS_SHOP_EVERY || 2);
const FLAGGED = Math.ceil(CHANNELS / SHOP_EVERY);
const started = Date.now();
const verbose = (m: string) =>
  process.env.DOZOR_CHAOS_VERBOSE &&
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let site: Awaited<ReturnType<typeof startDistributedSite>>;
let redis: Awaited<ReturnType<typeof privateRedis>>;
let postgres: Awaited<ReturnType<typeof privatePostgres>>;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  site = await startDistributedSite(
    generatedChannels(CHANNELS, PAGES_PER_CHANNEL, { shopEveryChannels: SHOP_EVERY }),
  );
  redis = await privateRedis();
  postgres = await privatePostgres();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await site?.close();
  await redis?.close();
  postgres?.close();
});

/** The content a run leaves, in comparable form (row ids differ between runs; permalinks and bundle ids do not). */
const CONTENT = {
  pages: 'select url, count(*)::int as n from pages group by url order by url',
  listings: 'select permalink, text_sha256 from listings order by permalink, text_sha256',
  detections: `select l.permalink, d.verdict, d.flagged, count(*)::int as n from detections d
               join listings l on l.id = d.listing_id group by 1, 2, 3 order by 1`,
  frontier: 'select url, state, depth, page_no from frontier order by url',
  bundles: `select l.permalink, b.id, b.parent_bundle_id, count(*) over (partition by l.permalink)::int as n
            from bundles b join listings l on l.id = b.listing_id order by 1, 2`,
  // screenshots and bundle.json (capture time) differ between runs; the fetched bytes and the text do not
  artifacts: `select a.bundle_id, a.name, case when a.name in ('page.html', 'text.txt') then a.sha256 end as sha256
              from artifacts a order by 1, 2`,
  custody: 'select chain, event, count(*)::int as n from custody_events group by 1, 2 order by 1, 2',
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
    verbose(`[${child.pid}] ${String(d).trimEnd()}`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return child;
}

/** The pid of the first Chromium process under process `pid` (through the launcher script), if any. */
function chromiumOf(pid: number): number | undefined {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  const queue = [String(pid)];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid, comm] of rows) {
      if (ppid !== parent) continue;
      if (comm === 'chromium') return Number(child);
      queue.push(child!);
    }
  }
  return undefined;
}

/** Every capture job in the queue: who ran it last, how often it was started, when it finished, what it returned. */
async function captureJobs(redis: Redis) {
  const keys = (await redis.keys('dozor:capture:capture-*')).filter((k) => !k.endsWith(':lock'));
  return Promise.all(
    keys.map(async (k) => {
      const h = await redis.hgetall(k);
      return {
        id: k,
        by: h.pb ?? '',
        started: Number(h.ats ?? 0),
        finishedOn: Number(h.finishedOn ?? 0),
        result: h.returnvalue ?? '',
      };
    }),
  );
}

describe('distributed crawl with capture under crashes', () => {
  it('ends with exactly what the embedded run stores, one verified bundle per flagged post', async () => {
    // the reference: the embedded runner on PGlite. Its screenshots come from a stand-in (screenshot
    // bytes differ between any two captures and are not compared), which keeps the test affordable;
    // the distributed run below takes real Chromium screenshots.
    const e0 = Date.now();
    const home = tmpHome();
    const config = { ...loadConfig({ DOZOR_HOME: home }), allowPrivate: true, telegramBase: site.origin };
    const rt = await openRuntime(config, { log: () => {} });
    rt.ctx.browser = {
      screenshot: async (url) => Buffer.from(`screenshot of ${url}`),
      pdf: async () => Buffer.alloc(0),
      close: async () => {},
    };
    let embedded: Record<string, unknown[]>;
    try {
      const r = await crawl(rt.ctx, { seeds: site.seeds, maxPages: 5000, concurrency: 4 });
      expect(r.summary.pages).toBe(CHANNELS * PAGES_PER_CHANNEL);
      expect(r.summary.bundles).toBe(FLAGGED);
      console.log(`embedded run: ${(Date.now() - e0) / 1000}s`);
      embedded = await contentOf(
        async (text) => ((await rt.handle.db.execute(sql.raw(text))) as unknown as { rows: unknown[] }).rows,
      );
    } finally {
      await rt.close();
    }
    expect(embedded.bundles).toHaveLength(FLAGGED);

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
    const exits: (number | string)[] = [];
    const worker = () => {
      const w = spawnDozor(['worker', '--allow-private', '--concurrency', '3'], env, log);
      w.once('exit', (code, signal) => {
        exits.push(code ?? signal ?? -1);
        verbose(`[${w.pid}] exit ${code ?? signal}`);
      });
      return w;
    };
    const workers = [worker(), worker(), worker()];
    const crawler = spawnDozor(
      [
        'crawl',
        ...site.seeds.flatMap((s) => ['--seed', s]),
        '--max-pages',
        '5000',
        '--json',
        '--allow-private',
      ],
      env,
      log,
    );
    const crawlExit = new Promise<number>((r) => crawler.once('exit', (code) => r(code ?? -1)));
    let crawlEnded = false;
    void crawlExit.then(() => (crawlEnded = true));

    // observations: bundles stored (Postgres) and capture jobs running (Redis), read through
    // restarts (a failed read is "nothing yet")
    const bundlesStored = async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      try {
        await c.connect();
        const { rows } = await c.query('select count(*)::int as n from bundles');
        return rows[0].n as number;
      } catch {
        return 0;
      } finally {
        await c.end().catch(() => {});
      }
    };
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    probe.on('error', () => {});
    /** The worker names (`host:pid`) of the capture jobs running now. */
    const capturesRunning = async (): Promise<string[]> => {
      try {
        const ids = await probe.lrange('dozor:capture:active', 0, -1);
        const by = await Promise.all(ids.map((id) => probe.hget(`dozor:capture:${id}`, 'pb')));
        return by.filter((b): b is string => Boolean(b));
      } catch {
        return [];
      }
    };
    /** Waits until `min` bundles are stored and a capture job is running; returns the pids running one. */
    const captureInFlight = async (min: number, what: string): Promise<number[]> => {
      for (;;) {
        if (crawlEnded)
          throw new Error(`the run ended before ${what}: no capture was in flight after ${min} bundles`);
        const n = await bundlesStored();
        const running = n >= min ? await capturesRunning() : [];
        verbose(`bundles ${n}/${FLAGGED}, captures running: ${running.join(' ') || '-'}`);
        if (running.length) return running.map((r) => Number(r.split(':').at(-1)));
        await sleep(100);
      }
    };

    try {
      // 1. SIGKILL a worker while it holds a capture job; a fresh worker takes its place
      const holders = await captureInFlight(Math.round(FLAGGED * 0.2), 'the kill');
      const victim = workers.findIndex((w) => holders.includes(w.pid!));
      expect(victim).toBeGreaterThanOrEqual(0);
      const killed = workers[victim]!;
      killed.kill('SIGKILL');
      await new Promise((r) => killed.once('exit', r));
      workers[victim] = worker();
      // 2. kill the Chromium of a worker that holds a capture job: the worker starts another one
      let crashed: { pid: number; at: number } | undefined;
      while (!crashed) {
        for (const pid of await captureInFlight(Math.round(FLAGGED * 0.3), 'the Chromium kill')) {
          const chromium = chromiumOf(pid);
          if (chromium === undefined) continue; // still launching
          process.kill(chromium, 'SIGKILL');
          crashed = { pid, at: Date.now() };
          verbose(`killed Chromium ${chromium} of worker ${pid}`);
          break;
        }
      }
      // 3. restart Redis while a capture runs
      await captureInFlight(Math.round(FLAGGED * 0.45), 'the Redis restart');
      await redis.restart();
      // 4. restart Postgres while a capture runs
      await captureInFlight(Math.round(FLAGGED * 0.7), 'the Postgres restart');
      postgres.restart();
      await crawlExit;
      // the chaos reached the captures: some capture job ran more than once (a killed worker's job
      // redelivered, or a retry after a restart), and the worker whose Chromium died captured again
      const jobs = await captureJobs(probe);
      expect(jobs.filter((j) => j.started > 1).length).toBeGreaterThan(0);
      const after = jobs.filter(
        (j) => j.by.endsWith(`:${crashed.pid}`) && j.finishedOn > crashed.at && !/existed/.test(j.result),
      );
      expect(after.length, 'captures of the worker whose Chromium was killed').toBeGreaterThan(0);
    } finally {
      probe.disconnect();
    }

    expect(await crawlExit, log.slice(-5).join('')).toBe(0);
    console.log(`distributed run: ${(Date.now() - t0) / 1000}s`);
    const summary = JSON.parse(log.find((l) => l.startsWith('{"pages"'))!);
    expect(summary.pages).toBe(CHANNELS * PAGES_PER_CHANNEL);
    expect(summary.bundles).toBe(FLAGGED);

    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      const distributed = await contentOf(async (text) => (await c.query(text)).rows);
      expect(distributed.pages).toEqual(embedded.pages); // every page once
      expect(distributed.listings).toEqual(embedded.listings);
      expect(distributed.detections).toEqual(embedded.detections); // every listing scored once: no lost job
      expect(distributed.frontier).toEqual(embedded.frontier);
      expect(distributed.bundles).toEqual(embedded.bundles); // the same bundle ids, each listing once
      expect(distributed.artifacts).toEqual(embedded.artifacts);
      expect(distributed.custody).toEqual(embedded.custody); // one captured event per bundle, none twice
      const { rows: flagged } = await c.query(
        `select l.permalink, count(b.id)::int as n from detections d join listings l on l.id = d.listing_id
         left join bundles b on b.listing_id = l.id where d.flagged group by 1`,
      );
      expect(flagged).toHaveLength(FLAGGED);
      expect(flagged.filter((r) => r.n !== 1)).toEqual([]); // each flagged listing exactly one bundle
      const { rows: open } = await c.query(
        'select count(*)::int as n from crawl_runs where finished_at is null',
      );
      expect(open[0].n).toBe(0);
    } finally {
      await c.end();
    }

    // the evidence holds: chains verify, the captured event names exactly the bundle's artifacts,
    // and every artifact's bytes are in the shared blob store under their hash
    const handle = await openDb({ url: pgUrl });
    try {
      const events = await custodyEventsOf(handle.db);
      expect(findBrokenLink(events)).toBeUndefined();
      const captured = events.filter((e) => e.event === 'captured');
      expect(captured).toHaveLength(FLAGGED);
      const { rows: artifacts } = (await handle.db.execute(
        sql`select bundle_id, name, sha256, size from artifacts order by bundle_id, name`,
      )) as unknown as { rows: { bundle_id: string; name: string; sha256: string; size: number }[] };
      const blobs = pgBlobStore(handle.db);
      for (const e of captured) {
        const own = artifacts.filter((a) => a.bundle_id === e.chain);
        expect(Object.fromEntries(own.map((a) => [a.name, a.sha256]))).toEqual(e.data.artifacts);
      }
      for (const a of artifacts) {
        const bytes = await blobs.get(a.sha256); // throws when missing or when its bytes do not match
        expect([sha256(bytes), bytes.length]).toEqual([a.sha256, Number(a.size)]);
      }
      expect(artifacts.filter((a) => a.name === 'screenshot.png')).toHaveLength(FLAGGED);
    } finally {
      await handle.close();
    }

    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) =>
        w.exitCode === null && !w.signalCode ? new Promise((r) => w.once('exit', r)) : null,
      ),
    );
    // the killed worker, then graceful stops: active jobs finish, then exit 0
    expect(exits, log.slice(-5).join('')).toEqual(['SIGKILL', 0, 0, 0]);
  }, 300_000);
});
