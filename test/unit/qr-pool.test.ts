import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../src/qr/decode-image.ts';
import { createDecodePool } from '../../src/qr/decode-pool.ts';
import { root } from '../helpers.ts';

const wall = readFileSync(`${root}/fixtures/site/img/wall-qr.jpg`);

describe('decode pool (worker threads)', () => {
  const pool = createDecodePool({ size: 2, timeoutMs: 15_000 });
  afterAll(() => pool.close());

  it('decodes in a worker thread, TypeScript loaded through tsx, caller keeps its bytes', async () => {
    const before = wall.length;
    const r = await pool.decode(wall);
    expect(r.codes.map((c) => c.text)).toEqual(['https://t.me/hidden_stash']);
    expect(wall.length).toBe(before);
    expect(pool.started).toBeGreaterThanOrEqual(1);
  });

  it('keeps the event loop responsive while decoding', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await Promise.all([pool.decode(wall), pool.decode(wall), pool.decode(wall), pool.decode(wall)]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
  });

  it('rejects unreadable input with an ImageError from the worker', async () => {
    await expect(pool.decode(Buffer.from('not an image'))).rejects.toThrow(ImageError);
  });
});

describe('decode pool limits', () => {
  it('turns a hung decode into an ImageError, replaces the worker, and goes on', async () => {
    const pool = createDecodePool({ size: 1, timeoutMs: 3_000 });
    try {
      await pool.decode(wall); // warm: the worker has started
      const started = Date.now();
      await expect(pool.decode(wall, { hangMs: 60_000 })).rejects.toThrow(/timed out/);
      expect(Date.now() - started).toBeLessThan(10_000);
      const after = await pool.decode(wall);
      expect(after.codes).toHaveLength(1);
      expect(pool.started).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects queued work and refuses new work once closed', async () => {
    const pool = createDecodePool({ size: 1 });
    const pending = expect(pool.decode(wall)).rejects.toThrow(/closed/);
    await pool.close();
    await pending;
    await expect(pool.decode(wall)).rejects.toThrow(/closed/);
  });
});
