/** The custody log in the database: append-only, one hash chain per bundle plus `global`. */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { custodyEvents } from '../../db/schema.ts';
import { type ChainedEvent, eventHash, GENESIS } from './chain.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Appends an event to its chain inside transaction `tx` (serialized by a table lock). */
export async function appendCustody(
  tx: Tx | Db,
  e: { chain: string; event: string; actor: string; data: Record<string, unknown>; at?: string },
): Promise<ChainedEvent> {
  await tx.execute(sql`lock table custody_events in share row exclusive mode`);
  const [last] = await tx
    .select({ hash: custodyEvents.hash })
    .from(custodyEvents)
    .where(eq(custodyEvents.chain, e.chain))
    .orderBy(desc(custodyEvents.seq))
    .limit(1);
  const body = {
    chain: e.chain,
    event: e.event,
    actor: e.actor,
    at: e.at ?? new Date().toISOString(),
    data: e.data,
  };
  const prevHash = last?.hash ?? GENESIS;
  const chained = { ...body, prevHash, hash: eventHash(prevHash, body) };
  await tx.insert(custodyEvents).values(chained);
  return chained;
}

/** Appends one event in its own transaction. */
export function recordCustody(db: Db, e: Parameters<typeof appendCustody>[1]): Promise<ChainedEvent> {
  return db.transaction((tx) => appendCustody(tx, e));
}

/** The events of the given chains (or all), in log order. */
export async function custodyEventsOf(db: Db, chains?: string[]): Promise<ChainedEvent[]> {
  const rows = await db
    .select()
    .from(custodyEvents)
    .where(chains ? inArray(custodyEvents.chain, chains) : undefined)
    .orderBy(asc(custodyEvents.seq));
  return rows.map(({ chain, event, actor, at, data, prevHash, hash }) => ({
    chain,
    event,
    actor,
    at,
    data,
    prevHash,
    hash,
  }));
}
