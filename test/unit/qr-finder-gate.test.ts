import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/qr/decode-image.ts';
import { findFinderPatterns, looksLikeCode } from '../../src/qr/finder.ts';
import type { Grey } from '../../src/qr/pixels.ts';
import { root } from '../helpers.ts';

const EXPENSIVE = ['padded', 'upscaled', 'enhanced', 'adaptive', 'rotated', 'tiles2', 'tiles3'];

/** `bytes` as a binarized Grey (threshold 128). */
async function binary(bytes: Buffer): Promise<Grey> {
  const { data, info } = await sharp(bytes)
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data).map((v) => (v < 128 ? 0 : 255)),
    width: info.width,
    height: info.height,
  };
}

describe('finder-pattern gate', () => {
  it('gives up on a photo without a code after the cheap reads, as a definite no, not a timeout', async () => {
    for (const file of ['fixtures/qr/no-code.jpg', 'fixtures/site/img/street.jpg']) {
      const r = await decodeImage(readFileSync(`${root}/${file}`), { deadlineMs: 60_000 });
      expect(r.codes, file).toEqual([]);
      expect(r.finderGate, file).toBe(false);
      expect(r.timedOut, file).toBeUndefined();
      expect(r.strategies, file).toEqual(['zxing', 'jsqr', 'finder-gate']);
    }
  });

  it('lets the expensive strategies run when the cheap reads fail on an image with a code', async () => {
    // wall-textured.jpg is read only by the rotation step.
    const r = await decodeImage(readFileSync(`${root}/fixtures/qr/wall-textured.jpg`), {
      deadlineMs: 60_000,
    });
    expect(r.codes.length).toBe(1);
    expect(r.finderGate).toBe(true);
    expect(r.strategies?.some((s) => EXPENSIVE.includes(s))).toBe(true);
  });

  it('finds the three finder patterns of a clean code, inverted too', async () => {
    const code = await QRCode.toBuffer('https://t.me/finder_test', { width: 300, margin: 4 });
    const found = findFinderPatterns(await binary(code));
    expect(found.filter((f) => f.hits >= 3).length).toBeGreaterThanOrEqual(3);
    expect(looksLikeCode(found)).toBe(true);
    const inverted = findFinderPatterns(await binary(await sharp(code).negate().png().toBuffer()));
    expect(looksLikeCode(inverted)).toBe(true);
  });

  it('needs two candidates of one size, each seen on several rows', () => {
    const f = (x: number, y: number, size: number, hits = 5) => ({ x, y, size, hits });
    expect(looksLikeCode([f(10, 10, 14)])).toBe(false);
    expect(looksLikeCode([f(10, 10, 14), f(100, 10, 14)])).toBe(true);
    expect(looksLikeCode([f(10, 10, 14), f(100, 10, 60)])).toBe(false); // sizes differ
    expect(looksLikeCode([f(10, 10, 14, 1), f(100, 10, 14, 1)])).toBe(false); // one row each
    expect(looksLikeCode([f(10, 10, 14), f(14, 10, 14)])).toBe(false); // overlapping
  });
});
