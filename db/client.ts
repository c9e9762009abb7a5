/**
 * Opens the database: PGlite in a folder (embedded default) or Postgres at a URL, migrated with
 * the same committed migrations either way.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

/** A drizzle handle on either engine. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database and how to close it. */
export interface DbHandle {
  db: Db;
  engine: 'pglite' | 'postgres';
  close: () => Promise<void>;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Where to open: a Postgres URL, or a PGlite data folder (`memory://` for a throw-away one). */
export type DbTarget = { url: string } | { dir: string };

/** Opens and migrates the database. Throws with a one-line message when it cannot be reached. */
export async function openDb(target: DbTarget): Promise<DbHandle> {
  if ('url' in target) return openPostgres(target.url);
  if (!target.dir.startsWith('memory://')) makeDir(target.dir);
  let client: PGlite;
  try {
    client = await PGlite.create(target.dir);
  } catch (err) {
    throw new Error(`cannot open the database in ${target.dir} (is another dozor process using it?)`, {
      cause: err,
    });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder });
  return { db, engine: 'pglite', close: () => client.close() };
}

/**
 * Creates `dir` and its parents one level at a time. Node's recursive mkdir never returns under
 * some virtual file systems (a DOZOR_HOME under /proc spun forever), and this says which part failed.
 */
function makeDir(dir: string): void {
  const parts = resolve(dir).split(sep).filter(Boolean);
  let path: string = sep;
  for (const part of parts) {
    path = join(path, part);
    try {
      mkdirSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(path).isDirectory()) continue;
      throw new Error(`cannot create the state folder ${dir}: ${path}: ${code ?? (err as Error).message}`);
    }
  }
}

async function openPostgres(url: string): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {}); // idle-client errors surface on the next query instead
  // a checked-out client whose server restarts emits 'error' too: its query fails, the pool drops it
  pool.on('connect', (client) => client.on('error', () => {}));
  let lock: pg.PoolClient;
  try {
    lock = await pool.connect();
  } catch (err) {
    await pool.end();
    throw new Error(`cannot reach Postgres at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  try {
    // Several workers may start at once: one migrates, the others wait.
    await lock.query('select pg_advisory_lock(72657)');
    await migratePg(db as never, { migrationsFolder });
  } finally {
    await lock.query('select pg_advisory_unlock(72657)').catch(() => {});
    lock.release();
  }
  return { db, engine: 'postgres', close: () => pool.end() };
}

/** Hides the password in a connection URL for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
