/**
 * The custody hash chain: pure functions, shared by the database log and by packet verification.
 * hash = SHA-256(prevHash + "\n" + canonical JSON of {chain, event, actor, at, data}).
 */
import { canonicalJson, sha256 } from '../capture/hash.ts';

/** The first link of every chain points at this. */
export const GENESIS = '0'.repeat(64);

/** An event's content, before it is chained. */
export interface CustodyBody {
  chain: string;
  event: string;
  actor: string;
  at: string;
  data: Record<string, unknown>;
}

/** A chained event as stored and exported. */
export interface ChainedEvent extends CustodyBody {
  prevHash: string;
  hash: string;
}

/** The hash of `body` chained after `prevHash`. */
export function eventHash(prevHash: string, body: CustodyBody): string {
  const { chain, event, actor, at, data } = body;
  return sha256(`${prevHash}\n${canonicalJson({ chain, event, actor, at, data })}`);
}

/**
 * Checks events (in log order) chain by chain; returns a description of the first broken link,
 * or undefined when every chain holds.
 */
export function findBrokenLink(events: ChainedEvent[]): string | undefined {
  const heads = new Map<string, string>();
  for (const [i, e] of events.entries()) {
    const expectedPrev = heads.get(e.chain) ?? GENESIS;
    if (e.prevHash !== expectedPrev) {
      return `event ${i + 1} (${e.event} on ${e.chain}) does not follow the previous event of its chain`;
    }
    if (eventHash(e.prevHash, e) !== e.hash) {
      return `event ${i + 1} (${e.event} on ${e.chain}) was altered: its hash does not match its content`;
    }
    heads.set(e.chain, e.hash);
  }
  return undefined;
}
