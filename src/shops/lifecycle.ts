/**
 * A shop's lifecycle: first and last seen, active or offline (all its sources gone at the last
 * re-check), and for exported shops how long after the first export it went offline.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { custodyEvents, listings, sources } from '../../db/schema.ts';

/** Lifecycle facts of one shop. */
export interface Lifecycle {
  status: 'active' | 'offline';
  first_seen: string | null;
  last_seen: string | null;
  offline_since: string | null;
  exported_at: string | null;
  /** Hours from the first export to going offline. */
  offline_after_export_hours: number | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type Event = { event: string; data: Record<string, unknown> };
/** An export whose packet was never written: a later `export_failed` event names its packet. */
const failedExport = (events: Event[], data: Record<string, unknown>) =>
  events.some((e) => e.event === 'export_failed' && e.data.packet === data.packet);

/** The lifecycle of a shop given its listings, source URLs and bundles. */
export async function lifecycleOf(
  db: Db,
  shop: { listingIds: number[]; sources: string[]; bundles: string[] },
): Promise<Lifecycle> {
  const rows = shop.sources.length
    ? await db.select().from(sources).where(inArray(sources.url, shop.sources))
    : [];
  const seen = shop.listingIds.length
    ? await db.select({ at: listings.createdAt }).from(listings).where(inArray(listings.id, shop.listingIds))
    : [];
  const exports = shop.bundles.length
    ? (
        await db
          .select({ at: custodyEvents.at, event: custodyEvents.event, data: custodyEvents.data })
          .from(custodyEvents)
          .where(inArray(custodyEvents.chain, shop.bundles))
      )
        .filter((e, _, all) => e.event === 'exported' && !failedExport(all, e.data))
        .map((e) => e.at)
        .sort()
    : [];
  const offline = rows.length > 0 && rows.every((s) => s.offlineSince);
  const offlineSince = offline ? new Date(Math.max(...rows.map((s) => s.offlineSince!.getTime()))) : null;
  const lastOk = rows.map((s) => s.lastOkAt?.getTime() ?? 0).filter(Boolean);
  const exportedAt = exports[0] ? new Date(exports[0]) : null;
  return {
    status: offline ? 'offline' : 'active',
    first_seen: iso(seen.length ? new Date(Math.min(...seen.map((r) => r.at.getTime()))) : null),
    last_seen: iso(lastOk.length ? new Date(Math.max(...lastOk)) : null),
    offline_since: iso(offlineSince),
    exported_at: iso(exportedAt),
    offline_after_export_hours:
      offlineSince && exportedAt && offlineSince >= exportedAt
        ? Math.round(((offlineSince.getTime() - exportedAt.getTime()) / 3_600_000) * 10) / 10
        : null,
  };
}
