/** Review decisions: each is a new record and a custody event; nothing is edited. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bundles, reviews } from '../../db/schema.ts';
import { DozorError } from '../config/errors.ts';
import { appendCustody } from '../custody/log.ts';
import { type BundleStatus, statusOf } from './status.ts';
import { userWhoCan } from './users.ts';

export const DECISIONS = ['confirm', 'dismiss', 'escalate'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Records `user`'s decision on bundle `bundleId`; returns the bundle's new status. */
export async function recordReview(
  db: Db,
  input: { bundleId: string; user: string; decision: string; note?: string; confirmations: number },
): Promise<BundleStatus> {
  if (!DECISIONS.includes(input.decision as Decision)) {
    throw new DozorError(`decision must be one of ${DECISIONS.join(', ')}, got "${input.decision}"`);
  }
  const user = await userWhoCan(db, input.user, 'review');
  const [bundle] = await db.select({ id: bundles.id }).from(bundles).where(eq(bundles.id, input.bundleId));
  if (!bundle) throw new DozorError(`no bundle with id "${input.bundleId}" (see: dozor bundles list)`);
  await db.transaction(async (tx) => {
    await tx.insert(reviews).values({
      bundleId: bundle.id,
      reviewer: user.name,
      decision: input.decision as Decision,
      note: input.note,
    });
    await appendCustody(tx, {
      chain: bundle.id,
      event: 'reviewed',
      actor: user.name,
      data: { decision: input.decision, note: input.note ?? null, role: user.role },
    });
  });
  return (await statusesOf(db, [bundle.id], input.confirmations)).get(bundle.id)!;
}

/** The status of each bundle in `ids`. */
export async function statusesOf(
  db: Db,
  ids: string[],
  confirmations: number,
): Promise<Map<string, BundleStatus>> {
  const rows = ids.length
    ? await db.select().from(reviews).where(inArray(reviews.bundleId, ids)).orderBy(asc(reviews.id))
    : [];
  const byBundle = new Map<string, typeof rows>();
  for (const r of rows) byBundle.set(r.bundleId, [...(byBundle.get(r.bundleId) ?? []), r]);
  return new Map(ids.map((id) => [id, statusOf(byBundle.get(id) ?? [], confirmations)]));
}
