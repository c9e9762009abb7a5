/** The database refuses to change or remove evidence, on PGlite and on Postgres alike. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type DbTarget, openDb } from '../../db/client.ts';
import { custodyEvents, pages } from '../../db/schema.ts';
import { recordCustody } from '../../src/custody/log.ts';
import { freshPostgres } from '../helpers.ts';

async function checkWriteOnce(target: DbTarget) {
  const { db, close } = await openDb(target);
  try {
    await db.insert(pages).values({
      url: 'https://t.me/s/x',
      finalUrl: 'https://t.me/s/x',
      status: 200,
      headers: {},
      bodySha256: 'a'.repeat(64),
      bodySize: 1,
      fetchedAt: new Date(),
    });
    await recordCustody(db, { chain: 'b1', event: 'captured', actor: 'dozor', data: {} });
    // drizzle wraps the database's error; the refusal is its cause
    const refused = (e: Error) =>
      /evidence is append-only/.test(`${e.message} ${(e.cause as Error)?.message}`);
    await expect(db.update(pages).set({ status: 500 })).rejects.toSatisfy(refused);
    await expect(db.delete(pages)).rejects.toSatisfy(refused);
    await expect(db.update(custodyEvents).set({ actor: 'mallory' })).rejects.toSatisfy(refused);
    await expect(db.delete(custodyEvents)).rejects.toSatisfy(refused);
    await expect(db.execute(sql`truncate table custody_events`)).rejects.toSatisfy(refused);
    expect(await db.select().from(custodyEvents)).toHaveLength(1);
  } finally {
    await close();
  }
}

describe('evidence tables are write-once', () => {
  it('on PGlite', () => checkWriteOnce({ dir: 'memory://' }));
  it('on Postgres', async () => {
    const pg = await freshPostgres();
    try {
      await checkWriteOnce({ url: pg.url });
    } finally {
      await pg.drop();
    }
  });
});
