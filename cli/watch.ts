/**
 * `dozor watch`: the embedded scheduler. Crawls the sources whose `--every` interval is due (and
 * resumes an interrupted crawl), sleeps until the next one is due, and repeats. SIGINT/SIGTERM
 * stop it cleanly: pages in flight finish, the run stays resumable, the database is closed.
 */
import type { Command } from 'commander';
import type { Config } from '../src/config/config.ts';
import { dueSources, secondsUntilDue } from '../src/pipeline/due-sources.ts';
import { hasOpenRun } from '../src/pipeline/frontier.ts';
import { openRuntime } from '../src/pipeline/runtime.ts';
import { type CrawlFlags, crawlOptions, crawlWithProgress, printSummary } from './crawl.ts';
import { durationOption } from './options.ts';
import { action, printJson } from './run-action.ts';

interface WatchFlags extends Omit<CrawlFlags, 'seed' | 'signal'> {
  once?: boolean;
  /** Longest sleep between checks, in seconds. */
  idle: number;
}

/** Runs due crawls until stopped (or once, with --once). */
export async function runWatch(config: Config, flags: WatchFlags): Promise<void> {
  const cfg = { ...config, allowPrivate: config.allowPrivate || Boolean(flags.allowPrivate) };
  const stop = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) process.stderr.write('dozor: stopping after the pages in flight…\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const rt = await openRuntime(cfg, { browser: flags.capture });
  try {
    while (!stop.signal.aborted) {
      const due = await dueSources(rt.ctx.db);
      if (due.length || (await hasOpenRun(rt.ctx.db))) {
        if (!flags.json) process.stderr.write(`crawling ${due.length} due source(s)\n`);
        const { summary, failedSeeds } = await crawlWithProgress(rt.ctx, due, {
          ...flags,
          signal: stop.signal,
        });
        if (flags.json) printJson(summary);
        else printSummary(summary);
        for (const f of failedSeeds) process.stderr.write(`dozor: could not fetch ${f.url}: ${f.reason}\n`);
      } else if (flags.once && !flags.json) process.stderr.write('nothing due\n');
      if (flags.once) break;
      const next = (await secondsUntilDue(rt.ctx.db)) ?? flags.idle;
      const wait = Math.min(Math.max(next, 1), flags.idle);
      if (!flags.json) process.stderr.write(`waiting ${wait}s for the next due source (Ctrl-C stops)\n`);
      await sleep(wait * 1000, stop.signal);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rt.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function registerWatch(program: Command): void {
  crawlOptions(
    program
      .command('watch')
      .description('crawl scheduled sources when due (sources add URL --every 1h), until Ctrl-C')
      .option('--once', 'run what is due now, then exit')
      .option('--idle <duration>', 'longest sleep between checks (30s, 5m)', durationOption, 60),
  ).action(action(async (config, flags: WatchFlags) => runWatch(config, flags)));
}
