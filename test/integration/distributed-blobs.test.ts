/**
 * Shared blobs: with DATABASE_URL set, a blob stored by one machine (its own DOZOR_HOME) is read by
 * another machine (another DOZOR_HOME) through Postgres; blobs are write-once in the database.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { blobStoreFor, fileBlobStore } from '../../src/capture/blobs.ts';
import { freshPostgres, tmpHome } from '../helpers.ts';

let pg: Awaited<ReturnType<typeof freshPostgres>>;
beforeAll(async () => {
  pg = await freshPostgres();
});
afterAll(async () => {
  await pg?.drop();
});

describe('blobs in Postgres', () => {
  it('are stored by one machine and read by another, never through local files', async () => {
    const [a, b] = [tmpHome(), tmpHome()];
    const machineA = await openDb({ url: pg.url });
    const machineB = await openDb({ url: pg.url });
    try {
      const storeA = blobStoreFor({ home: a, databaseUrl: pg.url }, machineA.db);
      const storeB = blobStoreFor({ home: b, databaseUrl: pg.url }, machineB.db);
      const bytes = Buffer.from('<html>captured on machine A</html>');
      const hash = await storeA.put(bytes);
      expect(await storeA.put(bytes)).toBe(hash); // idempotent
      expect(await storeB.get(hash)).toEqual(bytes);
      expect(existsSync(join(a, 'blobs')) ? readdirSync(join(a, 'blobs')) : []).toEqual([]);
      await expect(storeB.get('0'.repeat(64))).rejects.toThrow(/missing/);
      // a blob already in machine B's local folder (stored before the switch) stays readable
      const old = await fileBlobStore(join(b, 'blobs')).put(Buffer.from('older local blob'));
      expect(String(await storeB.get(old))).toBe('older local blob');
      // evidence bytes are write-once
      await expect(machineA.db.execute(sql`update blobs set size = 0`)).rejects.toThrow();
      await expect(machineA.db.execute(sql`delete from blobs`)).rejects.toThrow();
    } finally {
      await machineA.close();
      await machineB.close();
    }
  });

  it('stay on the filesystem without DATABASE_URL', async () => {
    const home = tmpHome();
    const local = await openDb({ dir: 'memory://' });
    try {
      const store = blobStoreFor({ home }, local.db);
      const hash = await store.put(Buffer.from('embedded'));
      expect(existsSync(join(home, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash))).toBe(true);
    } finally {
      await local.close();
    }
  });
});
