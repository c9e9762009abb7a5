/**
 * A blob store in Postgres (table `blobs`: SHA-256 key, bytea), reached by every worker that
 * reaches the database. Chosen for distributed mode because Dozor already needs Postgres there:
 * no second service to run, back up or secure, and a blob commits in the same database as the
 * rows that name it. Evidence blobs are small (pages capped at 10 MB, screenshots, images).
 * Reads fall back to a local folder, so blobs stored before the switch stay readable.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { blobs } from '../../db/schema.ts';
import type { BlobStore } from './blobs.ts';
import { sha256 } from './hash.ts';

/** A blob store in the `blobs` table of `db`; `fallback` is read when a blob is not in the table. */
export function pgBlobStore(db: Db, fallback?: BlobStore): BlobStore {
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      await db
        .insert(blobs)
        .values({ sha256: hash, bytes: Buffer.from(bytes), size: bytes.length })
        .onConflictDoNothing();
      return hash;
    },
    async get(hash) {
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a blob hash: ${hash}`);
      const [row] = await db.select({ bytes: blobs.bytes }).from(blobs).where(eq(blobs.sha256, hash));
      if (!row) {
        if (fallback) return fallback.get(hash);
        throw new Error(`blob ${hash} is missing from the database`);
      }
      if (sha256(row.bytes) !== hash) throw new Error(`blob ${hash} is corrupt: its bytes no longer match`);
      return row.bytes;
    },
  };
}
