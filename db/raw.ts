/**
 * Parameterized SQL straight to the driver under a drizzle handle (pool, PGlite, or the client of
 * an open transaction), for the crawl's per-page statements: building them with drizzle's query
 * builder cost more CPU than running them. Parameters go as the drivers send them (strings,
 * numbers, booleans, null; JSON values already stringified, dates as ISO strings); rows come back
 * with the drivers' usual parsing (timestamptz as Date, jsonb parsed, int4/float4 as numbers).
 */
import type { Db } from './client.ts';

interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Runs one statement on `db` (inside its transaction, when `db` is one); returns the rows. */
export async function rawQuery<T>(db: Db, text: string, params: unknown[] = []): Promise<T[]> {
  const client = (db as unknown as { session: { client: Queryable } }).session.client;
  return (await client.query(text, params)).rows as T[];
}

/** `($1, $2, $3), ($4, $5, $6)…`: placeholders for `rows` rows of `cols` values each. */
export function valuesList(rows: number, cols: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 1; c <= cols; c++) row.push(`$${r * cols + c}`);
    out.push(`(${row.join(', ')})`);
  }
  return out.join(', ');
}

/** A JSON value as a jsonb parameter (undefined and null as SQL null). */
export const jsonParam = (v: unknown): string | null =>
  v === undefined || v === null ? null : JSON.stringify(v);

/** A date as a timestamptz parameter. */
export const dateParam = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
