/**
 * Edits and deletions of Telegram posts, seen when a channel is crawled again, recorded as new
 * evidence events (post_events); nothing stored before is changed.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { listings, postEvents } from '../../db/schema.ts';

/** A post as shown on the page just extracted. */
export interface PostSeen {
  permalink: string;
  textSha256: string;
  postId?: number;
}

/**
 * Records an `edited` event for each post whose text hash differs from the last known one, and a
 * `deleted` event for each earlier-seen post whose id lies inside the page's range of ids but is
 * no longer shown. Idempotent per page.
 */
export async function recordPostEvents(
  db: Db,
  input: { pageId: number; sourceId: number | null; posts: PostSeen[]; postIds: number[] },
): Promise<{ edited: number; deleted: number }> {
  const posts = input.posts.filter((p) => p.postId !== undefined);
  if (posts.length === 0) return { edited: 0, deleted: 0 };
  const known = await lastKnownHashes(
    db,
    posts.map((p) => p.permalink),
  );
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
  const deleted = input.sourceId === null ? [] : await vanished(db, input.sourceId, input.postIds);
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
  return { edited: edits.length, deleted: deleted.length };
}

/** The current text hash of each permalink: the latest edit's, else the first listing's (one round trip). */
async function lastKnownHashes(db: Db, permalinks: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const res = (await db.execute(sql`
    (select distinct on (${listings.permalink}) ${listings.permalink} as permalink,
            ${listings.textSha256} as hash, 0 as edit
       from ${listings} where ${inArray(listings.permalink, permalinks)}
      order by ${listings.permalink}, ${listings.id})
    union all
    (select distinct on (${postEvents.permalink}) ${postEvents.permalink}, ${postEvents.newTextSha256}, 1
       from ${postEvents}
      where ${and(inArray(postEvents.permalink, permalinks), eq(postEvents.kind, 'edited'))}
      order by ${postEvents.permalink}, ${postEvents.id} desc)`)) as unknown as {
    rows: { permalink: string; hash: string | null; edit: number }[];
  };
  // first listings, then edits over them
  const rows = [...res.rows].sort((a, b) => Number(a.edit) - Number(b.edit));
  for (const r of rows) if (r.hash) out.set(r.permalink, r.hash);
  return out;
}

/** Earlier-seen posts of the source with ids strictly inside the page's range that the page no longer shows. */
async function vanished(db: Db, sourceId: number, postIds: number[]) {
  if (postIds.length < 2) return [];
  const shown = new Set(postIds);
  const lo = postIds[0]!;
  const hi = postIds.at(-1)!;
  const postId = sql<number>`(${listings.meta}->>'postId')::bigint`;
  const rows = await db
    .selectDistinctOn([listings.permalink], {
      permalink: listings.permalink,
      textSha256: listings.textSha256,
      postId,
    })
    .from(listings)
    .where(and(eq(listings.sourceId, sourceId), sql`${postId} > ${lo} and ${postId} < ${hi}`))
    .orderBy(listings.permalink, desc(listings.id));
  const gone = rows.filter((r) => !shown.has(Number(r.postId)));
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
