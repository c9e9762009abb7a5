/**
 * Scheduled crawls in distributed mode: each enabled, approved source with `--every` has exactly one
 * BullMQ job scheduler (however often workers sync), with its interval; a paused source loses it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { sources } from '../../db/schema.ts';
import { openQueues, type StageQueues } from '../../src/queue/queues.ts';
import { syncSchedules } from '../../src/queue/schedule.ts';

const prefix = `dozor-test-sched-${process.pid}-${Date.now()}`;
let handle: DbHandle;
let queues: StageQueues;
beforeAll(async () => {
  handle = await openDb({ dir: 'memory://' });
  queues = openQueues({ url: 'redis://127.0.0.1:6379', prefix });
});
afterAll(async () => {
  await queues?.queue('schedule').obliterate({ force: true });
  await queues?.close();
  await handle?.close();
});

const schedulers = async () =>
  (await queues.queue('schedule').getJobSchedulers())
    .map((s) => ({ key: s.key, every: Number(s.every) }))
    .sort((a, b) => a.key.localeCompare(b.key));

describe('job schedulers for sources with --every', () => {
  it('follow the sources: one per due source, removed when the source is paused', async () => {
    const db = handle.db;
    const [hourly, daily] = await db
      .insert(sources)
      .values([
        { url: 'https://t.me/s/hourly_shop', kind: 'telegram', everySeconds: 3600 },
        { url: 'https://t.me/s/daily_shop', kind: 'telegram', everySeconds: 86_400 },
      ])
      .returning({ id: sources.id });
    await db.insert(sources).values([
      { url: 'https://t.me/s/manual_only', kind: 'telegram' },
      { url: 'https://t.me/s/pending', kind: 'telegram', everySeconds: 60, approved: false },
    ]);

    expect(await syncSchedules(db, queues)).toEqual({ scheduled: 2, removed: 0 });
    expect(await syncSchedules(db, queues)).toEqual({ scheduled: 2, removed: 0 }); // a second worker syncing
    expect(await schedulers()).toEqual(
      [
        { key: `source-${hourly!.id}`, every: 3_600_000 },
        { key: `source-${daily!.id}`, every: 86_400_000 },
      ].sort((a, b) => a.key.localeCompare(b.key)),
    );

    await db.update(sources).set({ enabled: false }).where(eq(sources.id, daily!.id));
    expect(await syncSchedules(db, queues)).toEqual({ scheduled: 1, removed: 1 });
    expect(await schedulers()).toEqual([{ key: `source-${hourly!.id}`, every: 3_600_000 }]);
  });
});
