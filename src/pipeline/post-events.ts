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
  const rows = await rawQuery<{ permalink: string; hash: string | null; edit: number }>(
    db,
    `(select distinct on (permalink) permalink, text_sha256 as hash, 0 as edit
        from listings where permalink = any($1::text[])
       order by permalink, id)
     union all
     (select distinct on (permalink) permalink, new_text_sha256, 1
        from post_events where permalink = any($1::text[]) and kind = 'edited'
       order by permalink, id desc)`,
    [permalinks],
  );
  // first listings, then edits over them
  rows.sort((a, b) => Number(a.edit) - Number(b.edit));
  for (const r of rows) if (r.hash) out.set(r.permalink, r.hash);
  return out;
}

/** Earlier-seen posts of the source with ids strictly inside the page's range that the page no longer shows. */
async function vanished(db: Db, sourceId: number, postIds: number[]) {
  if (postIds.length < 2) return [];
  const shown = new Set(postIds);
  const lo = postIds[0]!;
  const hi = postIds.at(-1)!;
  const rows = await rawQuery<{ permalink: string; textSha256: string; postId: number | string }>(
    db,
    `select distinct on (permalink) permalink, text_sha256 as "textSha256", (meta->>'postId')::bigint as "postId"
       from listings
      where source_id = $1 and (meta->>'postId')::bigint > $2 and (meta->>'postId')::bigint < $3
      order by permalink, id desc`,
    [sourceId, lo, hi],
  );
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
