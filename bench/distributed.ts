/**
 * `npm run bench -- distributed`: pages/s of the distributed mode with 1, 2 and 4 `dozor worker`
 * processes on one generated site (no capture), against the embedded runner on the same Postgres,
 * and the queue overhead per job. Uses this machine's Postgres and Redis (a fresh database and a
 * fresh queue prefix per run). Size: DOZOR_BENCH_CHANNELS channels × 10 pages (default 30).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/config/config.ts';
import { crawl } from '../src/pipeline/crawl.ts';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { freshPostgres, root, tmpHome } from '../test/helpers.ts';
import { generatedChannels, startDistributedSite } from './distributed-site.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function dozor(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [join(root, 'bin/dozor.js'), ...args], {
    env: { ...process.env, DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

async function distributedRun(site: Awaited<ReturnType<typeof startDistributedSite>>, workers: number) {
  const db = await freshPostgres();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    DOZOR_QUEUE_PREFIX: `bench${process.pid}x${workers}x${Date.now().toString(36)}`,
    DOZOR_HOME: tmpHome(),
    DOZOR_TELEGRAM_BASE: site.origin,
  };
  try {
    // migrate once before timing, so workers start together
    await (await openRuntime({ ...loadConfig(env), allowPrivate: true })).close();
    const procs = Array.from({ length: workers }, () => dozor(['worker', '--allow-private'], env));
    await new Promise((r) => setTimeout(r, 4000)); // tsx start-up is not queue overhead
    const t0 = performance.now();
    const crawler = dozor(
      [
        'crawl',
        ...site.seeds.flatMap((s) => ['--seed', s]),
        '--max-pages',
        '100000',
        '--no-capture',
        '--json',
        '--allow-private',
      ],
      env,
    );
    let out = '';
    crawler.stdout!.on('data', (d) => (out += d));
    await new Promise((r) => crawler.once('exit', r));
    const seconds = (performance.now() - t0) / 1000;
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => p.once('exit', r))));
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query("select count(*)::int as n from frontier where state = 'done'");
    await c.end();
    const summary = JSON.parse(out.trim().split('\n').at(-1)!);
    // the crawl's own clock starts once its seeds are queued: process start-up is not queue overhead
    return {
      seconds: summary.seconds as number,
      wall: seconds,
      pages: summary.pages as number,
      done: rows[0].n as number,
    };
  } finally {
    await db.drop();
    await dropKeys(env.DOZOR_QUEUE_PREFIX);
  }
}

/** Removes the run's queue keys from the shared Redis. */
async function dropKeys(prefix: string) {
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

/** Runs the embedded crawl and 1, 2, 4 workers over the same site; one row each. */
export async function benchDistributed(): Promise<object[]> {
  const channels = Number(process.env.DOZOR_BENCH_CHANNELS || 30);
  const site = await startDistributedSite(generatedChannels(channels, 10));
  const rows: object[] = [];
  try {
    const db = await freshPostgres();
    let embeddedSeconds: number;
    try {
      const config = {
        ...loadConfig({ DOZOR_HOME: tmpHome(), DATABASE_URL: db.url }),
        allowPrivate: true,
        telegramBase: site.origin,
      };
      const rt = await openRuntime(config, { log: () => {} });
      const t0 = performance.now();
      const r = await crawl(rt.ctx, {
        seeds: site.seeds,
        maxPages: 100_000,
        noCapture: true,
        concurrency: 4,
      });
      embeddedSeconds = (performance.now() - t0) / 1000;
      await rt.close();
      rows.push({
        mode: 'embedded (in-process, Postgres)',
        pages: r.summary.pages,
        seconds: +embeddedSeconds.toFixed(1),
        'pages/s': +(r.summary.pages / embeddedSeconds).toFixed(1),
      });
    } finally {
      await db.drop();
    }
    for (const n of [1, 2, 4]) {
      const r = await distributedRun(site, n);
      // 4 jobs a page (fetch, extract, qr, score) + the discovered 404
      const jobs = r.pages * 4;
      rows.push({
        mode: `distributed, ${n} worker process${n > 1 ? 'es' : ''}`,
        pages: r.pages,
        seconds: +r.seconds.toFixed(1),
        'pages/s': +(r.pages / r.seconds).toFixed(1),
        'overhead ms/job vs embedded':
          n === 1 ? +(((r.seconds - embeddedSeconds) * 1000) / jobs).toFixed(2) : '',
      });
    }
  } finally {
    await site.close();
  }
  return rows;
}
