/** `dozor crawl`: one crawl of the seeds (or of all enabled sources) through every stage. */
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '../src/config/config.ts';
import { DozorError } from '../src/config/errors.ts';
import { type CrawlSummary, crawl } from '../src/pipeline/crawl.ts';
import { seedsOrSources } from '../src/pipeline/due-sources.ts';
import { progressLine } from '../src/pipeline/progress.ts';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { runQueuedCrawl } from './crawl-queued.ts';
import { intOption, urlOption } from './options.ts';
import { action, printJson } from './run-action.ts';

export interface CrawlFlags {
  seed: string[];
  depth: number;
  maxPages: number;
  /** Older pages per channel. */
  pages?: number;
  since?: Date;
  concurrency?: number;
  allowPrivate?: boolean;
  capture: boolean;
  json?: boolean;
  /** Stops the crawl (watch: SIGINT/SIGTERM); the run is resumed next time. */
  signal?: AbortSignal;
}

/** Runs a crawl with the CLI's flags and prints the summary; exit 1 if a seed failed. */
export async function runCrawl(config: Config, flags: CrawlFlags): Promise<CrawlSummary | undefined> {
  const cfg = { ...config, allowPrivate: config.allowPrivate || Boolean(flags.allowPrivate) };
  if (cfg.redisUrl) return runQueuedCrawl(cfg, flags); // distributed mode: workers do the stages
  if ((flags as { detach?: boolean }).detach)
    throw new DozorError(
      '--detach queues the crawl for workers: set REDIS_URL (see README, Running on many machines)',
    );
  const rt = await openRuntime(cfg, { browser: flags.capture });
  try {
    const seeds = await seedsOrSources(rt.ctx.db, flags.seed);
    const { summary, failedSeeds } = await crawlWithProgress(rt.ctx, seeds, flags);
    if (flags.json) printJson(summary);
    else printSummary(summary);
    for (const f of failedSeeds) process.stderr.write(`dozor: could not fetch seed ${f.url}: ${f.reason}\n`);
    if (failedSeeds.length) process.exitCode = 1;
    return summary;
  } finally {
    await rt.close();
  }
}

/** Runs the crawl with a live line on stderr when it is a terminal (and not --json). */
export async function crawlWithProgress(
  ctx: Parameters<typeof crawl>[0],
  seeds: string[],
  flags: Omit<CrawlFlags, 'seed'>,
) {
  const live = process.stderr.isTTY && !flags.json;
  let last = 0;
  const result = await crawl(ctx, {
    seeds,
    depth: flags.depth,
    maxPages: flags.maxPages,
    pages: flags.pages,
    since: flags.since,
    concurrency: flags.concurrency,
    noCapture: !flags.capture,
    signal: flags.signal,
    onProgress: live
      ? (s) => {
          if (Date.now() - last < 200) return;
          last = Date.now();
          process.stderr.write(`\r\x1b[K${progressLine(s, flags.maxPages)}`);
        }
      : undefined,
  });
  if (live) process.stderr.write('\r\x1b[K');
  if (result.resumed && !flags.json) process.stderr.write(`resumed interrupted crawl ${result.runId}\n`);
  const { edited, deleted } = result.events;
  if ((edited || deleted) && !flags.json)
    process.stderr.write(`posts edited ${edited} · deleted ${deleted} (recorded as post events)\n`);
  return result;
}

/** The human summary on stdout. */
export function printSummary(s: CrawlSummary): void {
  process.stdout.write(
    `pages ${s.pages} · listings ${s.listings} · images ${s.images} · codes ${s.codes} · flagged ${s.flagged} · bundles ${s.bundles} · errors ${s.errors} · ${s.seconds}s\n`,
  );
}

/** A date (YYYY-MM-DD or ISO 8601) or a duration back from now (`7d`, `12h`). */
export function sinceOption(value: string): Date {
  const ago = /^(\d+)([hd])$/.exec(value.trim());
  if (ago) return new Date(Date.now() - Number(ago[1]) * (ago[2] === 'h' ? 3600e3 : 86400e3));
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime()))
    throw new InvalidArgumentError('expected a date (2026-11-01) or a duration back (7d, 12h)');
  return d;
}

/** Adds the crawl options shared by `crawl` and `watch`. */
export function crawlOptions(cmd: Command): Command {
  return cmd
    .option('--depth <n>', 'hops to follow through links and QR codes', intOption, 2)
    .option('--max-pages <n>', 'pages to fetch at most', intOption, 200)
    .option('--pages <n>', 'older pages (?before=) to fetch per channel (default: all new ones)', intOption)
    .option('--since <date>', 'do not page back past posts older than this (2026-11-01, 7d)', sinceOption)
    .option('--concurrency <n>', 'pages processed at once', intOption, 4)
    .option('--allow-private', 'allow loopback and private addresses (tests, local fixtures)')
    .option('--no-capture', 'skip screenshots and bundles (dry runs, benchmarks)')
    .option('--json', 'print the summary as one JSON object');
}

export function registerCrawl(program: Command): void {
  crawlOptions(
    program
      .command('crawl')
      .description('crawl the seeds (or all enabled sources) through fetch, extract, QR, score and capture')
      .option(
        '--seed <url>',
        'a URL to start from (repeatable)',
        (v: string, all: string[]) => [...all, urlOption(v)],
        [] as string[],
      )
      .option('--detach', 'with REDIS_URL: queue the crawl and return at once'),
  ).action(action(async (config, flags: CrawlFlags) => void (await runCrawl(config, flags))));
}
