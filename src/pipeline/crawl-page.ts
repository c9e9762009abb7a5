/**
 * One frontier row through the stages: fetch (unless a stored page is already recorded on the
 * row), extract, note edits and deletions, page back or advance the channel's cursor, then each
 * listing through qr ∥ score → capture, and discovered targets back into the frontier.
 */
import { eq, sql } from 'drizzle-orm';
import { type FrontierRow, type Page, type Source, sources } from '../../db/schema.ts';
import { type ExtractResult, extractStage } from '../extract/extract-stage.ts';
import { type Fetched, fetchToBlob, storeFetched } from '../fetch/fetch-stage.ts';
import type { StageContext } from './context.ts';
import { storedPageOf } from './frontier.ts';
import { type PagingDecision, type PagingLimits, pageBack } from './paging.ts';
import { type RecentScores, recordPostEvents } from './post-events.ts';
import { markSource } from './source-status.ts';

/** Per-source fetch settings handed to the fetch stage. */
export interface FetchSettings {
  render?: Source['render'];
  respectRobots?: boolean;
}

/** What processing one row found. */
export interface PageOutcome {
  fetched: boolean;
  page: ExtractResult;
  paging: PagingDecision;
  edited: number;
  deleted: number;
}

/** A row's page: fetched now (stored by storeRowPage) or stored before. */
export type RowPage = { fetched: true; pending: Fetched } | { fetched: false; pageId: number };

/** A row's stored page; the fetch hands over the row and body it stored, so they are not read back. */
export interface RowStored {
  pageId: number;
  stored?: { page: Page; body: Buffer };
}

/**
 * Fetches the row's page (body into the blob store), unless a stored page is already recorded on
 * the row (or found after a crash). The page row itself is written by storeRowPage.
 */
export async function fetchRowPage(
  ctx: StageContext,
  row: FrontierRow,
  source: Pick<Source, 'render' | 'respectRobots'>,
): Promise<RowPage> {
  const pageId = row.attempts > 1 ? await storedPageOf(ctx.db, row) : row.pageId;
  if (pageId !== null) return { fetched: false, pageId };
  const pending = await fetchToBlob(
    ctx,
    { url: row.url, sourceId: row.sourceId },
    { render: source.render, respectRobots: source.respectRobots },
  );
  return { fetched: true, pending };
}

/** Records a page fetched by fetchRowPage (in the caller's transaction, if any). */
export async function storeRowPage(ctx: Pick<StageContext, 'db'>, got: RowPage): Promise<RowStored> {
  if (!got.fetched) return { pageId: got.pageId };
  const { pageId, page, body } = await storeFetched(ctx, got.pending);
  return { pageId, stored: { page, body } };
}

/** Extracts the row's stored page; records post events and the source's state. */
export async function extractRowPage(
  ctx: StageContext,
  row: FrontierRow,
  got: RowStored,
): Promise<{ page: ExtractResult; edited: number; deleted: number; recent?: RecentScores }> {
  const { pageId } = got;
  const page = await extractStage(ctx, { pageId, stored: got.stored });
  let events: { edited: number; deleted: number; recent?: RecentScores } = { edited: 0, deleted: 0 };
  if (page.kind === 'telegram') {
    // the channel's last scores come in the same statement, for scoring the page next
    events = await recordPostEvents(
      ctx.db,
      { pageId, sourceId: row.sourceId, posts: page.listings, postIds: page.postIds ?? [] },
      { historyWindow: ctx.rules.channel.window },
    );
  }
  if (row.pageNo === 0) {
    const preview = page.kind === 'telegram' || (!page.noPreview && !row.url.startsWith('https://t.me/s/'));
    await markSource(ctx.db, row.sourceId, { ok: true, preview }, page.channel);
  }
  return { page, ...events };
}

/** Fetches (or reuses) and extracts the row's page; records post events and the source's state. */
export async function fetchAndExtract(
  ctx: StageContext,
  row: FrontierRow,
  source: Pick<Source, 'render' | 'respectRobots' | 'newestPostId'>,
  onPageStored: (pageId: number) => Promise<void>,
): Promise<{ pageId: number; fetched: boolean; page: ExtractResult; edited: number; deleted: number }> {
  const got = await fetchRowPage(ctx, row, source);
  const stored = await storeRowPage(ctx, got);
  if (got.fetched) await onPageStored(stored.pageId);
  return { pageId: stored.pageId, fetched: got.fetched, ...(await extractRowPage(ctx, row, stored)) };
}

/** Decides paging for a channel page given the source's remembered newest post id. */
export function pagingFor(
  row: FrontierRow,
  page: ExtractResult,
  knownNewest: number | null,
  limits: PagingLimits,
): PagingDecision {
  if (page.kind !== 'telegram') return 'end';
  const posts = page.listings.filter((l) => l.postId !== undefined);
  return pageBack(
    {
      olderPage: page.olderPage,
      pageNo: row.pageNo,
      postIds: posts.map((l) => l.postId!),
      postedAt: posts.map((l) => l.postedAt),
      knownNewest,
    },
    limits,
  );
}

/** Remembers the channel's newest post id (never moving it back), once its new posts are all fetched. */
export async function advanceCursor(ctx: Pick<StageContext, 'db'>, sourceId: number, newest: number) {
  await ctx.db
    .update(sources)
    .set({ newestPostId: sql`greatest(coalesce(${sources.newestPostId}, 0), ${newest})` })
    .where(eq(sources.id, sourceId));
}
