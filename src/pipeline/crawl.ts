/**
 * The in-process crawl: seeds flow one way through fetch → extract → (qr ∥ score) → capture, with
 * bounded concurrency. Channel pages page back with `?before=`; channels found in links and QR
 * codes become sources and are crawled within the depth limit.
 */
import { eq } from 'drizzle-orm';
import { sources } from '../../db/schema.ts';
import { captureStage } from '../capture/capture-stage.ts';
import { captureReason } from '../capture/parent-bundle.ts';
import { scoreStage } from '../detect/score-stage.ts';
import { extractStage } from '../extract/extract-stage.ts';
import { fetchStage } from '../fetch/fetch-stage.ts';
import { canonicalSourceUrl, sourceKind } from '../fetch/telegram-url.ts';
import { qrStage } from '../qr/qr-stage.ts';
import type { StageContext } from './context.ts';
import { createPool } from './pool.ts';
import { markSource } from './source-status.ts';

/** Options of one crawl. */
export interface CrawlOptions {
  seeds: string[];
  /** How many hops from a seed through links and QR codes. @default 2 */
  depth?: number;
  /** Pages fetched at most in this crawl. @default 200 */
  maxPages?: number;
  /** Pages processed at once. @default 4 */
  concurrency?: number;
  /** Skip screenshots and bundles. @default false */
  noCapture?: boolean;
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

/** A target found in a listing's links or QR codes. */
export interface Discovered {
  url: string;
  via: string;
  listingId: number;
}

interface Task {
  url: string;
  depth: number;
  sourceId: number;
}

/** Crawls the seeds through every stage; returns the summary and the seeds that could not be fetched. */
export async function crawl(
  ctx: StageContext,
  opts: CrawlOptions,
): Promise<{ summary: CrawlSummary; failedSeeds: { url: string; reason: string }[] }> {
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
  const seen = new Set<string>();
  const failedSeeds: { url: string; reason: string }[] = [];
  const pool = createPool(opts.concurrency ?? 4);
  const report = () => opts.onProgress?.({ ...s, seconds: (Date.now() - started) / 1000 });

  const schedule = (t: Task) => {
    if (seen.has(t.url) || seen.size >= maxPages) return;
    seen.add(t.url);
    pool.add(() =>
      crawlPage(t).catch(async (err) => {
        const firstPage = !t.url.includes('before=');
        if (firstPage) await markSource(ctx.db, t.sourceId, { ok: false, error: err }).catch(() => {});
        if (t.depth > 0 || !firstPage) return fail(t.url, err);
        s.errors++; // a seed's failure is reported once, by the caller
        failedSeeds.push({ url: t.url, reason: (err as Error).message });
      }),
    );
  };
  const fail = (what: string, err: unknown) => {
    s.errors++;
    ctx.log(`${what}: ${(err as Error).message}`);
    report();
  };
  const discover = async (found: Discovered[], depth: number) => {
    if (depth > maxDepth) return;
    for (const f of found) {
      const sourceId = await ensureSource(ctx, f.url, depth, f);
      schedule({ url: canonicalSourceUrl(f.url), depth, sourceId });
    }
  };

  async function crawlPage(t: Task) {
    const { pageId } = await fetchStage(ctx, { url: t.url, sourceId: t.sourceId });
    s.pages++;
    const page = await extractStage(ctx, { pageId });
    if (page.olderPage) schedule({ ...t, url: page.olderPage });
    for (const listingId of page.listingIds) {
      s.listings++;
      const links = page.discovered.filter((d) => d.listingId === listingId);
      await processListing(listingId, links, t.depth).catch((err) => fail(`listing ${listingId}`, err));
    }
    if (!t.url.includes('before=')) {
      await markSource(ctx.db, t.sourceId, {
        ok: true,
        preview: page.kind === 'telegram' || sourceKind(t.url) === 'web',
      });
    }
    report();
  }

  /** qr ∥ score → capture → follow: a listing is captured before the targets it leads to, so they can link to it. */
  async function processListing(listingId: number, links: Discovered[], depth: number) {
    const [qr, detection] = await Promise.all([qrStage(ctx, { listingId }), scoreStage(ctx, { listingId })]);
    s.images += qr.read;
    s.codes += qr.codes;
    s.errors += qr.errors;
    if (detection.flagged) s.flagged++;
    if (!opts.noCapture && (await captureReason(ctx, listingId, detection.flagged))) {
      await captureStage(ctx, { listingId, detectionId: detection.id });
      s.bundles++;
    }
    await discover([...links, ...qr.discovered], depth + 1);
  }

  for (const seed of opts.seeds) {
    const url = canonicalSourceUrl(seed);
    schedule({ url, depth: 0, sourceId: await ensureSource(ctx, url, 0) });
  }
  await pool.drain();
  s.seconds = Math.round((Date.now() - started) / 100) / 10;
  return { summary: s, failedSeeds };
}

/** The id of the source for `url`, adding it (with how it was found) when new. */
export async function ensureSource(
  ctx: Pick<StageContext, 'db'>,
  url: string,
  depth: number,
  found?: { via: string; listingId: number },
) {
  const canonical = canonicalSourceUrl(url);
  const base = new URL(canonical);
  base.searchParams.delete('before');
  await ctx.db
    .insert(sources)
    .values({
      url: base.href,
      kind: sourceKind(base.href),
      depth,
      discoveredVia: found?.via,
      discoveredFromListingId: found?.listingId,
    })
    .onConflictDoNothing();
  const [row] = await ctx.db.select({ id: sources.id }).from(sources).where(eq(sources.url, base.href));
  return row!.id;
}
