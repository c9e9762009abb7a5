/**
 * The stage queues and their job ids. Jobs carry ids (frontier row, listing), never payloads, and
 * a job's id is derived from those ids, so adding the same work twice is a no-op in Redis.
 */

/** One queue per stage, in flow order. */
export const STAGES = ['fetch', 'extract', 'qr', 'score', 'capture', 'schedule'] as const;
export type Stage = (typeof STAGES)[number];

/** A fetch or extract job: one frontier row. */
export interface RowJob {
  frontierId: number;
}

/** A qr or score job: the listings one frontier row's page produced. */
export interface ListingsJob {
  frontierId: number;
  listingIds: number[];
  /** The page kind the listings came from (decides which links are followed). */
  kind: 'telegram' | 'web';
}

/** A capture job: one listing of a frontier row. */
export interface CaptureJob {
  frontierId: number;
  listingId: number;
  kind: 'telegram' | 'web';
}

/** A scheduled crawl of one source (`sources add URL --every`). */
export interface ScheduleJob {
  sourceId: number;
}

/** The job id of a stage for a frontier row (and listing, for captures). */
export function jobIdOf(stage: Stage, frontierId: number, listingId?: number): string {
  return listingId === undefined ? `${stage}-${frontierId}` : `${stage}-${frontierId}-${listingId}`;
}

/** Parses `--stages fetch,qr`; throws a one-line error naming an unknown stage. */
export function parseStages(value: string): Stage[] {
  const out: Stage[] = [];
  for (const raw of value.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    if (!(STAGES as readonly string[]).includes(s))
      throw new Error(`unknown stage "${s}": choose from ${STAGES.join(', ')}`);
    if (!out.includes(s as Stage)) out.push(s as Stage);
  }
  if (out.length === 0) throw new Error(`no stage given: choose from ${STAGES.join(', ')}`);
  return out;
}
