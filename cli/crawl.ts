/** `dozor crawl`: one crawl of the seeds (or of all enabled sources) through every stage. */
import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { sources } from '../db/schema.ts';
import type { Config } from '../src/config/config.ts';
import { type CrawlSummary, crawl } from '../src/pipeline/crawl.ts';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { intOption } from './options.ts';
import { action, printJson } from './run-action.ts';

export interface CrawlFlags {
  seed: string[];
  depth: number;
  maxPages: number;
  allowPrivate?: boolean;
  capture: boolean;
  json?: boolean;
}

/** Runs a crawl with the CLI's flags and prints the summary; exit 1 if a seed failed. */
export async function runCrawl(config: Config, flags: CrawlFlags): Promise<CrawlSummary> {
  const cfg = { ...config, allowPrivate: config.allowPrivate || Boolean(flags.allowPrivate) };
  const rt = await openRuntime(cfg, { browser: flags.capture });
  try {
    let seeds = flags.seed;
    if (seeds.length === 0) {
      seeds = (
        await rt.ctx.db.select({ url: sources.url }).from(sources).where(eq(sources.enabled, true))
      ).map((r) => r.url);
      if (seeds.length === 0)
        throw new Error('nothing to crawl: give --seed URL or add sources with: dozor sources add URL');
    }
    const live = process.stderr.isTTY && !flags.json;
    const { summary, failedSeeds } = await crawl(rt.ctx, {
      seeds,
      depth: flags.depth,
      maxPages: flags.maxPages,
      noCapture: !flags.capture,
      onProgress: live
        ? (s) =>
            process.stderr.write(
              `\r\x1b[K${s.pages} pages · ${s.listings} listings · ${s.flagged} flagged · ${s.errors} errors · ${s.seconds.toFixed(0)}s`,
            )
        : undefined,
    });
    if (live) process.stderr.write('\r\x1b[K');
    if (flags.json) printJson(summary);
    else printSummary(summary);
    for (const f of failedSeeds) process.stderr.write(`dozor: could not fetch seed ${f.url}: ${f.reason}\n`);
    if (failedSeeds.length) process.exitCode = 1;
    return summary;
  } finally {
    await rt.close();
  }
}

/** The human summary on stdout. */
export function printSummary(s: CrawlSummary): void {
  process.stdout.write(
    `pages ${s.pages} · listings ${s.listings} · images ${s.images} · codes ${s.codes} · flagged ${s.flagged} · bundles ${s.bundles} · errors ${s.errors} · ${s.seconds}s\n`,
  );
}

export function registerCrawl(program: Command): void {
  program
    .command('crawl')
    .description('crawl the seeds (or all enabled sources) through fetch, extract, QR, score and capture')
    .option(
      '--seed <url>',
      'a URL to start from (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--depth <n>', 'hops to follow through links and QR codes', intOption, 2)
    .option('--max-pages <n>', 'pages to fetch at most', intOption, 200)
    .option('--allow-private', 'allow loopback and private addresses (tests, local fixtures)')
    .option('--no-capture', 'skip screenshots and bundles (dry runs, benchmarks)')
    .option('--json', 'print the summary as one JSON object')
    .action(action(async (config, flags: CrawlFlags) => void (await runCrawl(config, flags))));
}
