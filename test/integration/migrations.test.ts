import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { freshPostgres } from '../helpers.ts';

const TABLES = [
  'artifacts',
  'blobs',
  'bundles',
  'crawl_runs',
  'custody_events',
  'detections',
  'frontier',
  'images',
  'listing_images',
  'listings',
  'pages',
  'post_events',
  'qr_codes',
  'reviews',
  'run_options',
  'sessions',
  'sources',
  'users',
];

async function columnsOf(target: Parameters<typeof openDb>[0]) {
  const { db, close } = await openDb(target);
  try {
    const rows =
      await db.execute(sql`select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`);
    return (rows as unknown as { rows: { table_name: string; column_name: string; data_type: string }[] })
      .rows;
  } finally {
    await close();
  }
}

describe('the same migrations on PGlite and on Postgres', () => {
  it('create the same tables and columns on both, and running them twice is a no-op', async () => {
    const pg = await freshPostgres();
    try {
      const onPglite = await columnsOf({ dir: 'memory://' });
      const onPostgres = await columnsOf({ url: pg.url });
      expect([...new Set(onPglite.map((r) => r.table_name))]).toEqual(TABLES);
      expect(onPostgres).toEqual(onPglite);
      expect(await columnsOf({ url: pg.url })).toEqual(onPostgres); // second open: already migrated
    } finally {
      await pg.drop();
    }
  });

  it('an unreachable Postgres gives one clear error', async () => {
    await expect(openDb({ url: 'postgres://nobody:secret@127.0.0.1:1/none' })).rejects.toThrow(
      /^cannot reach Postgres at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/,
    );
  });
});
