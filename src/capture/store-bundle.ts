/** Writes a bundle once: its row, its artifacts and its `captured` custody event, in one transaction. */
import type { Db } from '../../db/client.ts';
import { artifacts, bundles } from '../../db/schema.ts';
import { appendCustody } from '../custody/log.ts';
import { sha256 } from './hash.ts';

/** A file of a bundle; its bytes must already be in the blob store. */
export interface BundleFile {
  name: string;
  bytes: Uint8Array;
  mime: string;
}

/** Stores the bundle; false when it already existed (another worker captured it first). */
export async function storeBundle(
  db: Db,
  b: { id: string; listingId: number; detectionId: number; parentBundleId?: string; files: BundleFile[] },
  event: Record<string, unknown>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(bundles)
      .values({
        id: b.id,
        listingId: b.listingId,
        detectionId: b.detectionId,
        parentBundleId: b.parentBundleId,
      })
      .onConflictDoNothing()
      .returning({ id: bundles.id });
    if (inserted.length === 0) return false;
    await tx.insert(artifacts).values(
      b.files.map((f) => ({
        bundleId: b.id,
        name: f.name,
        sha256: sha256(f.bytes),
        size: f.bytes.length,
        mime: f.mime,
      })),
    );
    await appendCustody(tx, {
      chain: b.id,
      event: 'captured',
      actor: 'dozor',
      data: { ...event, artifacts: Object.fromEntries(b.files.map((f) => [f.name, sha256(f.bytes)])) },
    });
    return true;
  });
}
