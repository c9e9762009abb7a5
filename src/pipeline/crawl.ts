/**
 * The in-process crawl: seeds flow one way through fetch → extract → (qr ∥ score) → capture, with
 * bounded concurrency. The frontier lives in the database (frontier.ts), so memory stays flat and
 * a killed crawl resumes. Channel pages page back with `?before=` to a depth or date, and only
 * to the newest post remembered from the last crawl; channels and shops found in links and QR
 * codes become sources and are crawled within the depth limit (or wait for approval).
 */
import { count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Detection, type FrontierRow, frontier, sources } from '../../db/schema.ts';
import { captureStage } from '../capture/capture-stage.ts';
import { captureReason } from '../capture/parent-bundle.ts';
import type { ExtractResult, StoredListing } from '../extract/extract-stage.ts';
import { canonicalSourceUrl } from '../fetch/telegram-url.ts';
import { qrStage } from '../qr/qr-stage.ts';
import type { StageContext } from './context.ts';
import {
  advanceCursor,
  extractRowPage,
  fetchRowPage,
  pagingFor,
  type RowPage,
  storeRowPage,
} from './crawl-page.ts';
import { type Discovered, discoveredFrom, ensureSource, targetOf } from './discovery.ts';
import {
  claimNextWithSource,
  enqueue,
  type FrontierItem,
  finishRow,
  finishRun,
  markDone,
  markFailed,
  openRun,
  type RowSource,
} from './frontier.ts';
import { scorePage } from './score-page.ts';
import { markSource } from './source-status.ts';

export type { Discovered } from './discovery.ts';
export { ensureSource } from './discovery.ts';

/** Options of one crawl. */
export interface CrawlOptions {
  seeds: string[];
  /** How many hops from a seed through links and QR codes. @default 2 */
  depth?: number;
  /** Pages fetched at most in this crawl (counting a resumed run's earlier pages). @default 200 */
  maxPages?: number;
  /** Older pages (`?before=`) fetched at most per channel; unlimited when unset. */
  pages?: number;
  /** Do not page back past posts older than this. */
  since?: Date;
  /** Pages processed at once. @default 4 */
  concurrency?: number;
  /** Skip screenshots and bundles. @default false */
  noCapture?: boolean;
  /** Stops claiming new pages; pages in flight finish and the run stays open to be resumed. */
  signal?: AbortSignal;
  onProgress?: (s: CrawlSummary) => void;
}

/** The summary printed at the end of a crawl (DESIGN.md §4). */
export interface CrawlSummary {
  pages: number;
  listings: number;
  images: number;
  codes: number;
  flagged: number;
  bundles: number;
  errors: number;
  seconds: number;
}

/** What a crawl returns besides the summary. */
export interface CrawlResult {
  summary: CrawlSummary;
  failedSeeds: { url: string; reason: string }[];
  runId: number;
  /** True when an interrupted run was resumed. */
  resumed: boolean;
  /** Edited and deleted posts seen. */
  events: { edited: number; deleted: number };
}

/** Crawls the seeds through every stage; returns the summary and the seeds that could not be fetched. */
export async function crawl(ctx: StageContext, opts: CrawlOptions): Promise<CrawlResult> {
  const started = Date.now();
  const maxDepth = opts.depth ?? 2;
  const maxPages = opts.maxPages ?? 200;
  const s: CrawlSummary = {
    pages: 0,
    listings: 0,
    images: 0,
    codes: 0,
    flagged: 0,
    bundles: 0,
    errors: 0,
    seconds: 0,
  };
  const events = { edited: 0, deleted: 0 };
  const failedSeeds: CrawlResult['failedSeeds'] = [];
  const report = () => opts.onProgress?.({ ...s, seconds: (Date.now() - started) / 1000 });
  const { runId, resumed } = await openRun(ctx.db);
  const [{ n: already } = { n: 0 }] = await ctx.db
    .select({ n: count() })
    .from(frontier)
    .where(eq(frontier.runId, runId));
  let budget = maxPages - already;
  let version = 0; // bumped whenever rows are queued or finish: idle workers look again

  /** Queues a URL if the page budget allows: `queued`, `dup` (already in the run) or `full`. */
  const queue = async (item: FrontierItem, db: Db = ctx.db) => {
    if (budget <= 0) return 'full' as const;
    const id = await enqueue(db, runId, item);
    if (id === undefined) return 'dup' as const;
    budget--;
    version++;
    return 'queued' as const;
  };

  const discover = async (found: Discovered[], depth: number, fromKind: 'telegram' | 'web') => {
    if (depth > maxDepth) return;
    for (const f of found) {
      const target = targetOf(f.url, fromKind) ?? { kind: undefined, url: f.url };
      const src = await ensureSource(ctx, target.url, depth, {
        via: f.via,
        listingId: f.listingId,
        kind: target.kind,
        approved: ctx.config.discovered !== 'approve',
      });
      if ((src.kind === 'telegram' || src.kind === 'web') && src.enabled && src.approved) {
        await queue({ url: canonicalSourceUrl(target.url), sourceId: src.id, depth });
      }
    }
  };

  /**
   * Extract, post events, paging and scoring of a fetched page, in one transaction: one commit
   * per page instead of one per statement, and a page is stored whole or not at all. Everything
   * in it goes through `tx` (on PGlite a query on ctx.db would wait for this transaction forever).
   */
  async function storePage(row: FrontierRow, source: RowSource, got: RowPage) {
    let queued = 0;
    let older: FrontierItem | undefined;
    try {
      return await ctx.db.transaction(async (t) => {
        const tx = t as unknown as Db;
        const txCtx: StageContext = { ...ctx, db: tx };
        const stored = await storeRowPage(txCtx, got);
        const r = await extractRowPage(txCtx, row, stored);
        const { page } = r;
        if (page.kind === 'telegram') {
          const newest = row.newestPostId ?? (page.postIds?.length ? page.postIds.at(-1)! : undefined);
          let decision = pagingFor(row, page, source.newestPostId, {
            maxOlderPages: opts.pages,
            since: opts.since,
          });
          if (decision === 'more') {
            // queued below, in the statement that finishes the row
            if (budget <= 0) decision = 'pages';
            else
              older = {
                url: page.olderPage!,
                sourceId: row.sourceId,
                depth: row.depth,
                pageNo: row.pageNo + 1,
                newestPostId: newest,
              };
          }
          // every new post is in: the next crawl pages back only to here (not when the budget cut paging short)
          if (
            decision !== 'more' &&
            newest !== undefined &&
            !(decision === 'pages' && opts.pages === undefined)
          ) {
            await advanceCursor(txCtx, row.sourceId, newest);
          }
        }
        const found = await scorePage(
          txCtx,
          row.sourceId,
          page.listings.map((l) => l.id),
          {
            texts: new Map(page.listings.map((l) => [l.id, l.text])),
            fresh: new Set(page.listings.filter((l) => l.isNew).map((l) => l.id)),
            recent: r.recent,
          },
        );
        // the row remembers its page (a resumed crawl does not fetch it again), and is done
        // here when nothing is left to do outside the transaction
        const pageId = got.fetched ? stored.pageId : undefined;
        const done = !workAfterScoring(row, page);
        const olderId = await finishRow(tx, row.id, { done, pageId, older: older && { runId, item: older } });
        if (olderId !== undefined) {
          queued++;
          budget--;
          version++;
        }
        return { ...r, found, done };
      });
    } catch (err) {
      budget += queued; // the rolled-back older page did not use the budget
      throw err;
    }
  }

  async function processRow(row: FrontierRow, source: RowSource) {
    const got = await fetchRowPage(ctx, row, source);
    const { page, found, edited, deleted, done } = await storePage(row, source, got);
    if (got.fetched) s.pages++;
    events.edited += edited;
    events.deleted += deleted;
    for (const [i, l] of page.listings.entries()) {
      s.listings++;
      await processListing(l, found[i]!, row.depth, page.kind).catch((err) => fail(`listing ${l.id}`, err));
    }
    if (!done) await markDone(ctx.db, row.id);
  }

  /** Whether processListing has database or network work for some listing of the page (captures, images, links to follow). */
  function workAfterScoring(row: FrontierRow, page: ExtractResult): boolean {
    if (!opts.noCapture) return true;
    if (page.listings.some((l) => l.imageCount > 0)) return true;
    return row.depth + 1 <= maxDepth && page.listings.some((l) => discoveredFrom(l, page.kind).length > 0);
  }

  /** qr (scored already) → capture → follow: a listing is captured before the targets it leads to, so they can link to it. */
  async function processListing(
    l: StoredListing,
    detection: Detection,
    depth: number,
    kind: 'telegram' | 'web',
  ) {
    const qr = l.imageCount > 0 ? await qrStage(ctx, { listingId: l.id }) : undefined;
    s.images += qr?.read ?? 0;
    s.codes += qr?.codes ?? 0;
    s.errors += qr?.errors ?? 0;
    if (detection.flagged) s.flagged++;
    if (!opts.noCapture && (await captureReason(ctx, l.id, detection.flagged))) {
      await captureStage(ctx, { listingId: l.id, detectionId: detection.id });
      s.bundles++;
    }
    await discover([...discoveredFrom(l, kind), ...(qr?.discovered ?? [])], depth + 1, kind);
  }

  const fail = (what: string, err: unknown) => {
    s.errors++;
    ctx.log(`${what}: ${(err as Error).message}`);
  };

  async function runRow(row: FrontierRow, source: RowSource) {
    try {
      await processRow(row, source);
    } catch (err) {
      await markFailed(ctx.db, row, err).catch(() => {});
      if (row.pageNo === 0) await markSource(ctx.db, row.sourceId, { ok: false, error: err }).catch(() => {});
      if (row.depth === 0 && row.pageNo === 0) {
        s.errors++; // a seed's failure is reported once, by the caller
        failedSeeds.push({ url: row.url, reason: (err as Error).message });
      } else fail(row.url, err);
    }
    report();
  }

  let active = 0;
  const waiting: (() => void)[] = [];
  const wakeAll = () => {
    for (const w of waiting.splice(0)) w();
  };
  async function worker() {
    while (!opts.signal?.aborted) {
      const seen = version;
      const claimed = await claimNextWithSource(ctx.db, runId);
      if (!claimed) {
        if (version !== seen) continue;
        if (active === 0) break;
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      active++;
      try {
        await runRow(claimed.row, claimed.source);
      } finally {
        active--;
        version++;
        wakeAll();
      }
    }
    wakeAll();
  }

  for (const seed of opts.seeds) {
    // bots and onion hosts are sources too (listed with the rest) but are never fetched
    const [known] = await ctx.db.select({ kind: sources.kind }).from(sources).where(eq(sources.url, seed));
    if (known?.kind === 'bot' || known?.kind === 'onion') continue;
    const url = canonicalSourceUrl(seed);
    const src = await ensureSource(ctx, url, 0);
    await queue({ url, sourceId: src.id, depth: 0 });
  }
  const stopOnAbort = () => wakeAll();
  opts.signal?.addEventListener('abort', stopOnAbort);
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', stopOnAbort);
  }
  if (!opts.signal?.aborted) await finishRun(ctx.db, runId);
  s.seconds = Math.round((Date.now() - started) / 100) / 10;
  return { summary: s, failedSeeds, runId, resumed, events };
}
