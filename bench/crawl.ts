/**
 * Crawl throughput and memory: a generated site of channel previews served on 127.0.0.1 (built in
 * memory, 20 posts a page, texts from the labelled corpus), crawled through fetch → extract →
 * score → store (no screenshots) against a plain loop (fetch + cheerio parse, same concurrency, no
 * storage) in the same run. Peak RSS and heap are sampled at 1 000 and at 5 000 pages, each on a
 * fresh embedded database (PGlite, the default) and on a fresh Postgres database (DATABASE_URL,
 * how users scale out; `BENCH_PG` names the server, default postgres://postgres@127.0.0.1:5432,
 * `BENCH_PG=off` skips it); then the site is crawled again unchanged, which must fetch only each
 * channel's first page.
 */
import { readFileSync, rmSync } from 'node:fs';
import * as cheerio from 'cheerio';
import pg from 'pg';
import { startGeneratedSite } from '../fixtures/server.ts';
import { type GenChannel, genPosts, renderChannelPage } from '../fixtures/site/telegram/generate.ts';
import { loadConfig, repoRoot } from '../src/config/config.ts';
import { crawl } from '../src/pipeline/crawl.ts';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { tmpHome } from '../test/helpers.ts';

const PER_PAGE = 20;
const PAGES_PER_CHANNEL = 5;
const CONCURRENCY = 4;

function texts(): string[] {
  return readFileSync(`${repoRoot}/fixtures/listings/listings.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** `pages` channel pages: pages / 5 channels of 100 posts each. */
function site(pages: number, corpus: string[]): Map<string, GenChannel> {
  const channels = new Map<string, GenChannel>();
  for (let c = 0; c < pages / PAGES_PER_CHANNEL; c++) {
    const name = `bench_${c.toString().padStart(5, '0')}`;
    const posts = genPosts(PER_PAGE * PAGES_PER_CHANNEL, (id) => corpus[(c * 131 + id) % corpus.length]!);
    channels.set(name, { name, title: `Bench ${c}`, posts });
  }
  return channels;
}

/** Samples peak RSS and heap while `fn` runs. */
async function withPeakMemory<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; rssMb: number; heapMb: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await fn();
    sample();
    return { result, rssMb: Math.round(rss / 2 ** 20), heapMb: Math.round(heap / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** The plain loop: fetch each page, parse it with cheerio, follow the older-page link; nothing stored. */
async function plainLoop(origin: string, names: string[]): Promise<number> {
  const queue = names.map((n) => `${origin}/s/${n}`);
  let pages = 0;
  const worker = async () => {
    for (let url = queue.pop(); url; url = queue.pop()) {
      const html = await (await fetch(url)).text();
      const $ = cheerio.load(html);
      const posts = $('.tgme_widget_message[data-post]')
        .toArray()
        .map((el) => $(el).find('.js-message_text').text());
      if (posts.length === 0) throw new Error(`no posts on ${url}`);
      pages++;
      const before = $('a.tme_messages_more[data-before]').attr('data-before');
      if (before) queue.push(`${url.split('?')[0]}?before=${before}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return pages;
}

type Engine = 'pglite' | 'postgres';

const PG_SERVER = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';

/** Runs `fn` with the URL of a fresh Postgres database, dropped afterwards. */
async function withFreshPostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `dozor_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    try {
      return await fn(`${PG_SERVER}/${name}`);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.end();
  }
}

async function benchSize(pages: number, corpus: string[], engine: Engine) {
  const channels = site(pages, corpus);
  const server = await startGeneratedSite((url) => {
    const m = /^\/s\/(\w+)$/.exec(url.pathname);
    const c = m && channels.get(m[1]!);
    if (!c) return undefined;
    const before = url.searchParams.get('before');
    return { body: renderChannelPage(c, before ? Number(before) : undefined, PER_PAGE) };
  });
  const names = [...channels.keys()];
  const home = tmpHome('dozor-bench-crawl-');
  try {
    const plainCpu0 = process.cpuUsage();
    const t = performance.now();
    const plainPages = await plainLoop(server.origin, names);
    const plain = {
      pages: plainPages,
      seconds: (performance.now() - t) / 1000,
      cpu: process.cpuUsage(plainCpu0),
    };

    const run = async (databaseUrl?: string) => {
      const env = { DOZOR_HOME: home, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
      const config = { ...loadConfig(env), allowPrivate: true, telegramBase: server.origin };
      const rt = await openRuntime(config, { log: () => {} });
      try {
        return await crawlTwice(rt, plain);
      } finally {
        await rt.close();
      }
    };
    return {
      engine,
      pages,
      channels: names.length,
      ...(engine === 'postgres' ? await withFreshPostgres(run) : await run()),
    };
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }

  /** Crawls the site on `rt` and again unchanged; compared with the plain loop's figures. */
  async function crawlTwice(
    rt: Awaited<ReturnType<typeof openRuntime>>,
    plain: { pages: number; seconds: number; cpu: NodeJS.CpuUsage },
  ) {
    const seeds = names.map((n) => `https://t.me/s/${n}`);
    const opts = { seeds, depth: 0, maxPages: pages * 2, noCapture: true, concurrency: CONCURRENCY };
    server.requests.length = 0;
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const run = await withPeakMemory(() => crawl(rt.ctx, opts));
    const crawlSeconds = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (run.result.summary.pages !== pages)
      throw new Error(`crawled ${run.result.summary.pages} of ${pages} pages`);
    server.requests.length = 0;
    const t2 = performance.now();
    const again = await crawl(rt.ctx, opts);
    const recrawlSeconds = (performance.now() - t2) / 1000;
    const pageRequests = server.requests.filter((r) => r.startsWith('/s/')).length;
    return {
      'plain pages/s': Math.round(plain.pages / plain.seconds),
      'dozor pages/s': Math.round(pages / crawlSeconds),
      ratio: Number((plain.seconds / crawlSeconds).toFixed(2)),
      'plain cpu ms/page': msPerPage(plain.cpu, plain.pages),
      'dozor cpu ms/page': msPerPage(cpu, pages),
      listings: run.result.summary.listings,
      flagged: run.result.summary.flagged,
      'peak rss MB': run.rssMb,
      'peak heap MB': run.heapMb,
      'recrawl pages': again.summary.pages,
      'recrawl page requests': pageRequests,
      'recrawl s': Number(recrawlSeconds.toFixed(1)),
    };
  }
}

/** Main-thread CPU (user + system) per page, in ms. */
const msPerPage = (cpu: NodeJS.CpuUsage, pages: number) =>
  Number(((cpu.user + cpu.system) / 1000 / pages).toFixed(1));

/** Runs the crawl benchmark at the given site sizes (pages). */
export async function benchCrawl(sizes = [1000, 5000], only?: Engine): Promise<object[]> {
  const corpus = texts();
  const rows: object[] = [];
  const engines: Engine[] = only ? [only] : PG_SERVER === 'off' ? ['pglite'] : ['pglite', 'postgres'];
  for (const engine of engines) for (const n of sizes) rows.push(await benchSize(n, corpus, engine));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.table(await benchCrawl([Number(process.argv[2] ?? 200)], process.argv[3] as Engine | undefined));
