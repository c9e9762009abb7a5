/** A distributed run's summary, counted from the database (the same fields as the embedded crawl's). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { CrawlSummary } from '../pipeline/crawl.ts';

/** Counts what run `runId` stored: its pages, their listings, images, codes, flags, bundles and errors. */
export async function runSummary(db: Db, runId: number, seconds: number): Promise<CrawlSummary> {
  const res = await db.execute(sql`
    with rows as (select page_id, state from frontier where run_id = ${runId}),
         ls as (select distinct l.id from listings l join rows r on r.page_id = l.page_id)
    select
      (select count(*) from rows where page_id is not null)::int as pages,
      (select count(*) from ls)::int as listings,
      (select count(*) from listing_images li join ls on ls.id = li.listing_id where li.image_id is not null)::int as images,
      (select count(*) from listing_images li join ls on ls.id = li.listing_id
         join qr_codes q on q.image_id = li.image_id)::int as codes,
      (select count(distinct d.listing_id) from detections d join ls on ls.id = d.listing_id where d.flagged)::int as flagged,
      (select count(*) from bundles b join ls on ls.id = b.listing_id)::int as bundles,
      ((select count(*) from rows where state = 'failed') +
       (select count(*) from listing_images li join ls on ls.id = li.listing_id where li.error is not null))::int as errors`);
  const row = (res as unknown as { rows: Omit<CrawlSummary, 'seconds'>[] }).rows[0]!;
  return { ...row, seconds: Math.round(seconds * 10) / 10 };
}
