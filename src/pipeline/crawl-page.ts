/**
 * One frontier row through the stages: fetch (unless a stored page is already recorded on the
 * row), extract, note edits and deletions, page back or advance the channel's cursor, then each
 * listing through qr ∥ score → capture, and discovered targets back into the frontier.
 */
import { eq, sql } from 'drizzle-orm';
import { type FrontierRow, type Page, type Source, sources } from '../../db/schema.ts';
import { type ExtractResult, extractStage } from '../extract/extract-stage.ts';
import { fetchStage } from '../fetch/fetch-stage.ts';
import type { StageContext } from './context.ts';
import { storedPageOf } from './frontier.ts';
import { type PagingDecision, type PagingLimits, pageBack } from './paging.ts';
import { recordPostEvents } from './post-events.ts';
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

/** A row's page once fetched (or found stored): the fetch hands over the row and body it stored. */
export interface RowPage {
  pageId: number;
  fetched: boolean;
  stored?: { page: Page; body: Buffer };
}

/** Fetches the row's page, unless a stored page is already recorded on the row (or found after a crash). */
export async function fetchRowPage(
  ctx: StageContext,
  row: FrontierRow,
  source: Pick<Source, 'render' | 'respectRobots'>,
): Promise<RowPage> {
  const pageId = row.attempts > 1 ? await storedPageOf(ctx.db, row) : row.pageId;
  if (pageId !== null) return { pageId, fetched: false };
  const f = await fetchStage(
    ctx,
    { url: row.url, sourceId: row.sourceId },
    { render: source.render, respectRobots: source.respectRobots },
  );
  return { pageId: f.pageId, fetched: true, stored: { page: f.page, body: f.body } };
}

/** Extracts the row's page; records post events and the source's state. */
export async function extractRowPage(
  ctx: StageContext,
  row: FrontierRow,
  got: RowPage,
): Promise<{ page: ExtractResult; edited: number; deleted: number }> {
  const { pageId } = got;
  const page = await extractStage(ctx, { pageId, stored: got.stored });
  let events = { edited: 0, deleted: 0 };
  if (page.kind === 'telegram') {
    events = await recordPostEvents(ctx.db, {
      pageId,
      sourceId: row.sourceId,
      posts: page.listings,
      postIds: page.postIds ?? [],
    });
  }
  if (row.pageNo === 0) {
    const preview = page.kind === 'telegram' || (!page.noPreview && !row.url.startsWith('https://t.me/s/'));
    await markSource(ctx.db, row.sourceId, { ok: true, preview });
    if (page.channel) {
      await ctx.db.update(sources).set({ channel: page.channel }).where(eq(sources.id, row.sourceId));
    }
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
  if (got.fetched) await onPageStored(got.pageId);
  return { pageId: got.pageId, fetched: got.fetched, ...(await extractRowPage(ctx, row, got)) };
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
