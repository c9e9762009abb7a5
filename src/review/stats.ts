/** Aggregates for the console's dashboard, rule list and export history, computed in SQL. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { decisionCounts, rowsOf, statusExpr } from './queue.ts';
import type { BundleStatus } from './status.ts';

/** Flagged detections per UTC day over the last `days` days (days without any are included as 0). */
export async function flaggedPerDay(db: Db, days = 30, now = new Date()) {
  const since = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await rowsOf<{ day: string; n: number }>(
    db,
    sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
        from detections where flagged and created_at >= ${since}::date group by 1`,
  );
  const byDay = new Map(rows.map((r) => [r.day, Number(r.n)]));
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(Date.parse(since) + i * 86_400_000).toISOString().slice(0, 10);
    return { day, n: byDay.get(day) ?? 0 };
  });
}

/** How many bundles have each status. */
export async function statusCounts(db: Db, required: number): Promise<Record<BundleStatus, number>> {
  const rows = await rowsOf<{ status: BundleStatus; n: number }>(
    db,
    sql`select ${statusExpr(required)} as status, count(*)::int as n from bundles b ${decisionCounts(null)} group by 1`,
  );
  const out: Record<BundleStatus, number> = {
    new: 0,
    in_review: 0,
    confirmed: 0,
    dismissed: 0,
    escalated: 0,
  };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** Bundles per source, most first. */
export async function bundlesPerSource(db: Db, limit = 10) {
  const rows = await rowsOf<{ source: string | null; n: number }>(
    db,
    sql`select src.url as source, count(*)::int as n from bundles b join listings l on l.id = b.listing_id
        left join sources src on src.id = l.source_id group by src.url order by 2 desc, 1 limit ${limit}`,
  );
  return rows.map((r) => ({ source: r.source ?? '—', n: Number(r.n) }));
}

/** Per rule: flagged detections it matched, and how many of their bundles were confirmed or dismissed. */
export interface RuleStat {
  rule: string;
  hits: number;
  confirmed: number;
  dismissed: number;
}

/** Hit counts and review outcomes per rule id, from detections and reviews. */
export async function ruleStats(db: Db, required: number): Promise<Map<string, RuleStat>> {
  const rows = await rowsOf<RuleStat>(
    db,
    sql`with st as (select b.detection_id, ${statusExpr(required)} as status from bundles b ${decisionCounts(null)}),
        hit as (select distinct d.id, m->>'rule' as rule from detections d
                cross join lateral jsonb_array_elements(d.matches) m where d.flagged)
        select hit.rule, count(*)::int as hits,
          count(*) filter (where st.status = 'confirmed')::int as confirmed,
          count(*) filter (where st.status = 'dismissed')::int as dismissed
        from hit left join st on st.detection_id = hit.id group by hit.rule`,
  );
  return new Map(
    rows.map((r) => [
      r.rule,
      { rule: r.rule, hits: Number(r.hits), confirmed: Number(r.confirmed), dismissed: Number(r.dismissed) },
    ]),
  );
}

/** One exported packet, from the custody log's `exported` events. */
export interface ExportRecord {
  packet: string;
  actor: string;
  at: string;
  bundles: number;
}

/** Every export that was written (not corrected by an `export_failed` event), newest first. */
export async function exportHistory(db: Db, limit = 100): Promise<ExportRecord[]> {
  const rows = await rowsOf<ExportRecord>(
    db,
    sql`select data->>'packet' as packet, min(actor) as actor, min(at) as at, count(*)::int as bundles
        from custody_events where event = 'exported'
          and data->>'packet' not in (select data->>'packet' from custody_events where event = 'export_failed')
        group by data->>'packet'
        order by min(seq) desc limit ${limit}`,
  );
  return rows.map((r) => ({ ...r, bundles: Number(r.bundles) }));
}
