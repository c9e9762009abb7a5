import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { type ChainedEvent, findBrokenLink, GENESIS } from '../../src/custody/chain.ts';
import { custodyEventsOf, recordCustody } from '../../src/custody/log.ts';

describe('custody log (PGlite)', () => {
  it('chains events per bundle and detects any change, removal or reordering', async () => {
    const { db, close } = await openDb({ dir: 'memory://' });
    try {
      await recordCustody(db, { chain: 'b1', event: 'captured', actor: 'dozor', data: { a: 1 } });
      await recordCustody(db, { chain: 'b2', event: 'captured', actor: 'dozor', data: { a: 2 } });
      await recordCustody(db, {
        chain: 'b1',
        event: 'reviewed',
        actor: 'anna',
        data: { decision: 'confirm' },
      });
      const events = await custodyEventsOf(db);
      expect(events.map((e) => [e.chain, e.event])).toEqual([
        ['b1', 'captured'],
        ['b2', 'captured'],
        ['b1', 'reviewed'],
      ]);
      expect(events[0]!.prevHash).toBe(GENESIS);
      expect(events[2]!.prevHash).toBe(events[0]!.hash);
      expect(findBrokenLink(events)).toBeUndefined();
      expect(findBrokenLink(await custodyEventsOf(db, ['b1']))).toBeUndefined();

      const altered: ChainedEvent[] = events.map((e, i) => (i === 2 ? { ...e, actor: 'mallory' } : e));
      expect(findBrokenLink(altered)).toMatch(/event 3 \(reviewed on b1\) was altered/);
      expect(findBrokenLink([events[0]!, events[2]!, events[1]!])).toBeUndefined(); // other chains may interleave
      expect(findBrokenLink([events[2]!])).toMatch(/does not follow/);
      expect(findBrokenLink([events[0]!, { ...events[0]!, data: { a: 9 } }])).toMatch(/event 2/);
    } finally {
      await close();
    }
  });
});
