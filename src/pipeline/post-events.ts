/**
 * Edits and deletions of Telegram posts, seen when a channel is crawled again, recorded as new
 * evidence events (post_events); nothing stored before is changed.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rawQuery } from '../../db/raw.ts';
import { postEvents } from '../../db/schema.ts';

/** A post as shown on the page just extracted. */
export interface PostSeen {
  permalink: string;
  textSha256: string;
  postId?: number;
}

/** A channel's recent scores, most recent first (what channelHistory() sees). */
export type RecentScores = { flagged: boolean; score: number }[];

/**
 * Records an `edited` event for each post whose text hash differs from the last known one, and a
 * `deleted` event for each earlier-seen post whose id lies inside the page's range of ids but is
 * no longer shown. Idempotent per page. With `historyWindow`, the channel's last scores (for
 * scoring the page next) are read in the same statement as the posts' state and returned.
 */
export async function recordPostEvents(
  db: Db,
  input: { pageId: number; sourceId: number | null; posts: PostSeen[]; postIds: number[] },
  opts: { historyWindow?: number } = {},
): Promise<{ edited: number; deleted: number; recent?: RecentScores }> {
  const posts = input.posts.filter((p) => p.postId !== undefined);
  const window = input.sourceId === null ? undefined : opts.historyWindow;
  if (posts.length === 0) return { edited: 0, deleted: 0 };
  const state = await readPostState(db, {
    sourceId: input.sourceId,
    permalinks: posts.map((p) => p.permalink),
    postIds: input.postIds,
    historyWindow: window,
  });
  const { known, recent } = state;
  const edits = posts.filter((p) => known.has(p.permalink) && known.get(p.permalink) !== p.textSha256);
  if (edits.length) {
    await db
      .insert(postEvents)
      .values(
        edits.map((p) => ({
          kind: 'edited' as const,
          permalink: p.permalink,
          sourceId: input.sourceId,
          pageId: input.pageId,
          oldTextSha256: known.get(p.permalink),
          newTextSha256: p.textSha256,
        })),
      )
      .onConflictDoNothing();
  }
  const deleted = await notYetDeleted(db, state.vanished);
  if (deleted.length) {
    await db
      .insert(postEvents)
      .values(
        deleted.map((d) => ({
          kind: 'deleted' as const,
          permalink: d.permalink,
          sourceId: input.sourceId,
          pageId: input.pageId,
          oldTextSha256: d.textSha256,
        })),
      )
      .onConflictDoNothing();
  }
  return { edited: edits.length, deleted: deleted.length, recent };
}

/** A post the source showed before: its newest listing's permalink, hash and post id. */
interface Earlier {
  permalink: string;
  textSha256: string;
  postId: number | string;
}

/**
 * In one statement: the current text hash of each permalink (the latest edit's, else the first
 * listing's); the earlier-seen posts of the source with ids strictly inside the page's range that
 * the page no longer shows; and, with `historyWindow`, the channel's last scores.
 */
async function readPostState(
  db: Db,
  q: { sourceId: number | null; permalinks: string[]; postIds: number[]; historyWindow?: number },
): Promise<{ known: Map<string, string>; vanished: Earlier[]; recent?: RecentScores }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const permalinks = p(q.permalinks);
  const parts = [
    `(select coalesce(json_agg(k), '[]'::json) from (
       (select distinct on (permalink) permalink, text_sha256 as hash, 0 as edit
          from listings where permalink = any(${permalinks}::text[])
         order by permalink, id)
       union all
       (select distinct on (permalink) permalink, new_text_sha256, 1
          from post_events where permalink = any(${permalinks}::text[]) and kind = 'edited'
         order by permalink, id desc)) k) as known`,
  ];
  const source = q.sourceId === null ? undefined : p(q.sourceId);
  if (source && q.postIds.length >= 2) {
    const postId = `(meta->>'postId')::bigint`;
    parts.push(`(select coalesce(json_agg(v), '[]'::json) from (
       select distinct on (permalink) permalink, text_sha256 as "textSha256", ${postId} as "postId"
         from listings
        where source_id = ${source} and ${postId} > ${p(q.postIds[0])} and ${postId} < ${p(q.postIds.at(-1))}
        order by permalink, id desc) v) as vanished`);
  }
  if (source && q.historyWindow !== undefined) {
    // ordered by the source's listings (index listings_source_id), so a source with no history
    // does not scan every detection of every source
    parts.push(`(select coalesce(json_agg(h order by h.lid desc, h.did desc), '[]'::json) from (
       select d.flagged, d.score, l.id as lid, d.id as did from detections d join listings l on d.listing_id = l.id
        where l.source_id = ${source} order by l.id desc, d.id desc limit ${p(q.historyWindow)}) h) as recent`);
  }
  const [row] = await rawQuery<{
    known: { permalink: string; hash: string | null; edit: number }[];
    vanished?: Earlier[];
    recent?: { flagged: boolean; score: number }[];
  }>(db, `select ${parts.join(',\n')}`, params);
  const known = new Map<string, string>();
  // first listings, then edits over them
  const rows = [...row!.known].sort((a, b) => Number(a.edit) - Number(b.edit));
  for (const r of rows) if (r.hash) known.set(r.permalink, r.hash);
  const shown = new Set(q.postIds);
  return {
    known,
    vanished: (row!.vanished ?? []).filter((r) => !shown.has(Number(r.postId))),
    recent: row!.recent?.map((r) => ({ flagged: r.flagged, score: r.score })),
  };
}

/** The vanished posts that have no `deleted` event yet. */
async function notYetDeleted(db: Db, gone: Earlier[]): Promise<Earlier[]> {
  if (gone.length === 0) return [];
  const already = await db
    .select({ permalink: postEvents.permalink })
    .from(postEvents)
    .where(
      and(
        eq(postEvents.kind, 'deleted'),
        inArray(
          postEvents.permalink,
          gone.map((g) => g.permalink),
        ),
      ),
    );
  const recorded = new Set(already.map((a) => a.permalink));
  return gone.filter((g) => !recorded.has(g.permalink));
}
