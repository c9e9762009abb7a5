/**
 * The queue jobs of each stage: each takes ids from its job, runs the same stage functions as the
 * in-process crawl (src/pipeline/crawl.ts), and adds the next stage's jobs with derived ids. Every
 * step is idempotent (unique keys in the database), so a job delivered twice changes nothing.
 *
 *   fetch(row) → extract(row) → qr(row's listings) → score(row's listings) → capture(listing)
 *                      └─ older channel page → fetch          discovered targets → fetch
 */
import { and, eq, inArray } from 'drizzle-orm';
import { detections, type FrontierRow, frontier, listings, sources } from '../../db/schema.ts';
import { captureStage } from '../capture/capture-stage.ts';
import { captureReason } from '../capture/parent-bundle.ts';
import { scoreStage } from '../detect/score-stage.ts';
import { fetchStage } from '../fetch/fetch-stage.ts';
import { canonicalSourceUrl } from '../fetch/telegram-url.ts';
import type { StageContext } from '../pipeline/context.ts';
import { advanceCursor, fetchAndExtract, pagingFor } from '../pipeline/crawl-page.ts';
import { type Discovered, discoveredFrom, ensureSource, targetOf } from '../pipeline/discovery.ts';
import { type FrontierItem, markDone, recordPage, storedPageOf } from '../pipeline/frontier.ts';
import { codesOfListing, qrStage } from '../qr/qr-stage.ts';
import { type CaptureJob, jobIdOf, type ListingsJob, type RowJob } from './names.ts';
import type { StageQueues } from './queues.ts';
import { loadRunOptions, queueRow, type RunOptions, takeRow } from './run-state.ts';

/** What the jobs need: the stage context, the queues, and a browser started on first capture. */
export interface JobDeps {
  ctx: StageContext;
  queues: StageQueues;
  /** Starts the browser if it is not running (captures only). */
  ensureBrowser: () => Promise<void>;
}

const optionsCache = new Map<number, RunOptions>();
async function optionsOf(d: JobDeps, runId: number): Promise<RunOptions> {
  let o = optionsCache.get(runId);
  if (!o) {
    o = await loadRunOptions(d.ctx.db, runId);
    optionsCache.set(runId, o);
  }
  return o;
}

/** Queues a URL in the run (page budget permitting) and adds its fetch job. */
export async function queueUrl(d: JobDeps, runId: number, item: FrontierItem, maxPages: number) {
  const id = await queueRow(d.ctx.db, runId, item, maxPages);
  if (typeof id === 'number') await d.queues.add('fetch', jobIdOf('fetch', id), { frontierId: id });
  return id;
}

async function rowOf(d: JobDeps, id: number): Promise<FrontierRow | undefined> {
  const [row] = await d.ctx.db.select().from(frontier).where(eq(frontier.id, id));
  return row;
}

/** fetch: fetches the row's URL unless its page is already stored, then queues extraction. */
export async function fetchJob(d: JobDeps, job: RowJob): Promise<string> {
  const row = await takeRow(d.ctx.db, job.frontierId);
  if (!row) return 'skipped: row done or gone';
  const pageId = row.attempts > 1 ? await storedPageOf(d.ctx.db, row) : row.pageId;
  if (pageId === null) {
    const [source] = await d.ctx.db.select().from(sources).where(eq(sources.id, row.sourceId));
    const fetched = await fetchStage(
      d.ctx,
      { url: row.url, sourceId: row.sourceId },
      { render: source?.render, respectRobots: source?.respectRobots },
    );
    await recordPage(d.ctx.db, row.id, fetched.pageId);
  } else if (row.pageId === null) await recordPage(d.ctx.db, row.id, pageId);
  await d.queues.add('extract', jobIdOf('extract', row.id), { frontierId: row.id });
  return pageId === null ? 'fetched' : 'reused stored page';
}

/** extract: listings of the row's page, post events, paging back; queues QR reading of the listings. */
export async function extractJob(d: JobDeps, job: RowJob): Promise<string> {
  const row = await rowOf(d, job.frontierId);
  if (!row || row.state === 'done' || row.state === 'failed') return 'skipped: row done or gone';
  const pageId = row.pageId ?? (await storedPageOf(d.ctx.db, row));
  if (pageId === null) throw new Error(`frontier row ${row.id} has no stored page yet`);
  const opts = await optionsOf(d, row.runId);
  const [source] = await d.ctx.db.select().from(sources).where(eq(sources.id, row.sourceId));
  const { page } = await fetchAndExtract(d.ctx, { ...row, pageId }, source!, async () => {});
  if (page.kind === 'telegram') {
    const newest = row.newestPostId ?? (page.postIds?.length ? page.postIds.at(-1)! : undefined);
    let decision = pagingFor(row, page, source!.newestPostId, {
      maxOlderPages: opts.pages,
      since: opts.since ? new Date(opts.since) : undefined,
    });
    if (decision === 'more') {
      const older = {
        url: page.olderPage!,
        sourceId: row.sourceId,
        depth: row.depth,
        pageNo: row.pageNo + 1,
        newestPostId: newest,
      };
      if ((await queueUrl(d, row.runId, older, opts.maxPages)) === 'full') decision = 'pages';
    }
    if (decision !== 'more' && newest !== undefined && !(decision === 'pages' && opts.pages === undefined)) {
      await advanceCursor(d.ctx, row.sourceId, newest);
    }
  }
  const listingIds = [...new Set(page.listings.map((l) => l.id))];
  if (listingIds.length) {
    const data: ListingsJob = { frontierId: row.id, listingIds, kind: page.kind };
    await d.queues.add('qr', jobIdOf('qr', row.id), data);
  }
  await markDone(d.ctx.db, row.id);
  return `${listingIds.length} listings`;
}

/** qr: reads every image of the listings (per-image errors are recorded), then queues scoring. */
export async function qrJob(d: JobDeps, job: ListingsJob): Promise<string> {
  let codes = 0;
  for (const listingId of job.listingIds) codes += (await qrStage(d.ctx, { listingId })).codes;
  await d.queues.add('score', jobIdOf('score', job.frontierId), job);
  return `${codes} codes`;
}

/** score: scores the listings; flagged ones (and pages a bundle led to) go to capture, the rest follow their links. */
export async function scoreJob(d: JobDeps, job: ListingsJob): Promise<string> {
  const row = await rowOf(d, job.frontierId);
  if (!row) return 'skipped: row gone';
  const opts = await optionsOf(d, row.runId);
  let flagged = 0;
  for (const listingId of job.listingIds) {
    const detection = await scoreStage(d.ctx, { listingId });
    if (detection.flagged) flagged++;
    if (!opts.noCapture && (await captureReason(d.ctx, listingId, detection.flagged))) {
      const data: CaptureJob = { frontierId: row.id, listingId, kind: job.kind };
      await d.queues.add('capture', jobIdOf('capture', row.id, listingId), data);
    } else await follow(d, row, opts, listingId, job.kind);
  }
  return `${flagged} flagged`;
}

/** capture: the listing's evidence bundle (once), then its links and QR targets are followed. */
export async function captureJob(d: JobDeps, job: CaptureJob): Promise<string> {
  const row = await rowOf(d, job.frontierId);
  if (!row) return 'skipped: row gone';
  const opts = await optionsOf(d, row.runId);
  const [detection] = await d.ctx.db
    .select({ id: detections.id })
    .from(detections)
    .where(and(eq(detections.listingId, job.listingId), eq(detections.rulePackVersion, d.ctx.rules.version)));
  if (!detection) throw new Error(`listing ${job.listingId} has no detection yet`);
  await d.ensureBrowser();
  const r = await captureStage(d.ctx, { listingId: job.listingId, detectionId: detection.id });
  await follow(d, row, opts, job.listingId, job.kind);
  return r.created ? `bundle ${r.bundleId}` : `bundle ${r.bundleId} existed`;
}

/** Links and QR targets of a listing become sources and, within the depth, frontier rows. */
async function follow(
  d: JobDeps,
  row: FrontierRow,
  opts: RunOptions,
  listingId: number,
  kind: 'telegram' | 'web',
): Promise<void> {
  const depth = row.depth + 1;
  if (depth > opts.depth) return;
  const found = await discoveredOf(d, listingId, kind);
  for (const f of found) {
    const target = targetOf(f.url, kind) ?? { kind: undefined, url: f.url };
    const src = await ensureSource(d.ctx, target.url, depth, {
      via: f.via,
      listingId: f.listingId,
      kind: target.kind,
      approved: d.ctx.config.discovered !== 'approve',
    });
    if ((src.kind === 'telegram' || src.kind === 'web') && src.enabled && src.approved) {
      await queueUrl(
        d,
        row.runId,
        { url: canonicalSourceUrl(target.url), sourceId: src.id, depth },
        opts.maxPages,
      );
    }
  }
}

/** What a listing leads to: its links (and a forward's source), then its QR codes' targets. */
async function discoveredOf(d: JobDeps, listingId: number, kind: 'telegram' | 'web'): Promise<Discovered[]> {
  const [l] = await d.ctx.db
    .select({ id: listings.id, permalink: listings.permalink, links: listings.links, meta: listings.meta })
    .from(listings)
    .where(inArray(listings.id, [listingId]));
  if (!l) return [];
  const forward = (l.meta as { forwardedFrom?: { url?: string } } | null)?.forwardedFrom?.url;
  const links = discoveredFrom({ ...l, links: forward ? [...l.links, forward] : l.links }, kind);
  const codes = (await codesOfListing(d.ctx, listingId)).filter((c) => c.target);
  return [
    ...links,
    ...codes.map((c) => ({ url: c.target!, via: `QR code in ${c.url} (${l.permalink})`, listingId })),
  ];
}
