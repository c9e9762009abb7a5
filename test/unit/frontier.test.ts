import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { crawlRuns, frontier, sources } from '../../db/schema.ts';
import {
  claimById,
  claimNext,
  enqueue,
  finishRun,
  markDone,
  markFailed,
  openRun,
  recordPage,
  runCounts,
} from '../../src/pipeline/frontier.ts';

let h: DbHandle;
let sourceId: number;
beforeAll(async () => {
  h = await openDb({ dir: 'memory://' });
  const [s] = await h.db
    .insert(sources)
    .values({ url: 'https://t.me/s/a_chan', kind: 'telegram' })
    .returning();
  sourceId = s!.id;
});
afterAll(() => h.close());

describe('the frontier', () => {
  it('queues each URL once per run and hands rows out oldest first', async () => {
    const { runId, resumed } = await openRun(h.db);
    expect(resumed).toBe(false);
    const a = await enqueue(h.db, runId, { url: 'https://t.me/s/a_chan', sourceId, depth: 0 });
    expect(await enqueue(h.db, runId, { url: 'https://t.me/s/a_chan', sourceId, depth: 1 })).toBeUndefined();
    const b = await enqueue(h.db, runId, {
      url: 'https://t.me/s/a_chan?before=10',
      sourceId,
      depth: 0,
      pageNo: 1,
    });
    const first = await claimNext(h.db, runId);
    expect(first).toMatchObject({ id: a, state: 'claimed', attempts: 1 });
    expect(await claimById(h.db, a!)).toBeUndefined(); // already claimed
    const second = await claimById(h.db, b!);
    expect(second).toMatchObject({ id: b, state: 'claimed', pageNo: 1 });
    expect(await claimNext(h.db, runId)).toBeUndefined();
    await markDone(h.db, a!);
    expect(await markFailed(h.db, second!, new Error('HTTP 503'), { retry: true, maxAttempts: 2 })).toBe(
      'queued',
    );
    const again = await claimNext(h.db, runId);
    expect(again).toMatchObject({ id: b, attempts: 2, lastError: 'HTTP 503' });
    expect(await markFailed(h.db, again!, new Error('HTTP 503'), { retry: true, maxAttempts: 2 })).toBe(
      'failed',
    );
    expect(await runCounts(h.db, runId)).toEqual({ queued: 0, claimed: 0, done: 1, failed: 1 });
    await finishRun(h.db, runId);
  });

  it('resumes an unfinished run: claimed rows go back to the queue and keep their stored page', async () => {
    const { runId } = await openRun(h.db);
    const id = await enqueue(h.db, runId, { url: 'https://t.me/s/a_chan', sourceId, depth: 0 });
    const row = await claimNext(h.db, runId);
    // a page id recorded on the row: there is no real page, so point at none and check the field flows
    expect(row!.pageId).toBeNull();
    // … the process dies here …
    const resumed = await openRun(h.db);
    expect(resumed).toEqual({ runId, resumed: true });
    const back = await claimNext(h.db, runId);
    expect(back).toMatchObject({ id, attempts: 2 });
    await markDone(h.db, id!);
    await finishRun(h.db, runId);
    expect((await openRun(h.db)).runId).toBeGreaterThan(runId);
    expect((await h.db.select().from(crawlRuns)).length).toBe(3);
  });

  it('a recorded page id survives on the row', async () => {
    const { runId } = await openRun(h.db);
    const id = await enqueue(h.db, runId, { url: 'https://x.example/', sourceId, depth: 0 });
    await expect(recordPage(h.db, id!, 999_999)).rejects.toThrow(); // a page that does not exist is refused
    const rows = await h.db.select().from(frontier);
    expect(rows.find((r) => r.id === id)?.pageId).toBeNull();
  });
});
