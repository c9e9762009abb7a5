import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageError, MAX_INPUT_BYTES } from '../../src/qr/decode-image.ts';
import { adaptiveThreshold, crop, tiles } from '../../src/qr/pixels.ts';
import { decompressionBomb, root } from '../helpers.ts';

const dir = `${root}/fixtures/qr`;
const expected: Record<string, string[]> = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
const wall = readFileSync(`${root}/fixtures/site/img/wall-qr.jpg`);

describe('photo-like fixtures', () => {
  it('reads at least 90% of the expected codes, and nothing where there is none', async () => {
    let want = 0;
    let got = 0;
    const misses: string[] = [];
    for (const [file, payloads] of Object.entries(expected)) {
      const texts = (await decodeImage(readFileSync(`${dir}/${file}`))).codes.map((c) => c.text);
      if (payloads.length === 0) expect(texts, file).toEqual([]);
      for (const p of payloads) {
        want++;
        if (texts.includes(p)) got++;
        else misses.push(`${file}: ${p}`);
      }
      expect(
        texts.filter((t) => !payloads.includes(t)),
        `${file}: unexpected codes`,
      ).toEqual([]);
    }
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
    expect(got / want, misses.join('; ')).toBeGreaterThanOrEqual(0.9);
  });

  it('finds both codes in one image, each with its own corners', async () => {
    const r = await decodeImage(readFileSync(`${dir}/two-codes.jpg`));
    expect(r.codes.map((c) => c.text).sort()).toEqual([...expected['two-codes.jpg']!].sort());
    const [a, b] = r.codes.map((c) => Math.min(...c.position.map((p) => p.x)));
    expect(Math.abs(a! - b!)).toBeGreaterThan(400);
  });

  it('gives positions in original-image pixels for a small code in a large photo', async () => {
    // make-qr-fixtures.ts puts a 130 px code at (2110, 1430) in a 3000×2000 photo
    const r = await decodeImage(readFileSync(`${dir}/small-in-large.jpg`));
    expect(r).toMatchObject({ width: 3000, height: 2000 });
    for (const p of r.codes[0]!.position) {
      expect(p.x).toBeGreaterThan(2100);
      expect(p.x).toBeLessThan(2250);
      expect(p.y).toBeGreaterThan(1420);
      expect(p.y).toBeLessThan(1570);
    }
  });

  it('stops at the deadline and says so', async () => {
    const r = await decodeImage(readFileSync(`${dir}/no-code.jpg`), { deadlineMs: 0 });
    expect(r).toMatchObject({ codes: [], timedOut: true });
  });

  it('reads a code drawn rotated by 45 degrees', async () => {
    const code = await QRCode.toBuffer('https://t.me/rotated_shop', { width: 240 });
    const img = await sharp(code).rotate(45, { background: '#ffffff' }).png().toBuffer();
    expect((await decodeImage(img)).codes.map((c) => c.text)).toEqual(['https://t.me/rotated_shop']);
  });
});

describe('bad input gives an ImageError, quickly', () => {
  const rejects = async (bytes: Uint8Array, pattern: RegExp) => {
    const started = Date.now();
    await expect(decodeImage(bytes)).rejects.toSatisfy(
      (e: Error) => e instanceof ImageError && pattern.test(e.message),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  };

  it('a truncated JPEG', () => rejects(wall.subarray(0, Math.floor(wall.length / 3)), /image/));

  it('a corrupt PNG (right signature, garbage after)', () => {
    const bytes = Buffer.alloc(4096, 0x5a);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
    return rejects(bytes, /not a readable image/);
  });

  it('a file that is not an image', () =>
    rejects(readFileSync(`${root}/fixtures/images/not-an-image.png`), /not a readable image/));

  it('a decompression bomb: a tiny PNG claiming 50000×50000 pixels', async () => {
    const bomb = await decompressionBomb();
    await rejects(bomb, /pixels|limit/);
  });

  it('a 40 MB file, refused before it is parsed', () => {
    const big = Buffer.alloc(40 * 1024 * 1024);
    wall.copy(big);
    expect(big.length).toBeGreaterThan(MAX_INPUT_BYTES);
    return rejects(big, /too large/);
  });

  it('an animated GIF: only the first frame is read', async () => {
    const frame = async (text: string) =>
      sharp(await QRCode.toBuffer(text, { width: 240 }))
        .ensureAlpha()
        .png()
        .toBuffer();
    const gif = await sharp(
      [await frame('https://t.me/first_frame'), await frame('https://t.me/second_frame')],
      {
        join: { animated: true },
      },
    )
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const r = await decodeImage(gif);
    expect(r).toMatchObject({ mime: 'image/gif', width: 240, height: 240 });
    expect(r.codes.map((c) => c.text)).toEqual(['https://t.me/first_frame']);
  });
});

describe('pixel helpers', () => {
  it('tiles overlap and cover every pixel', () => {
    for (const n of [1, 2, 3]) {
      const covered = new Uint8Array(101 * 77);
      for (const t of tiles(101, 77, n)) {
        expect(t.left + t.width).toBeLessThanOrEqual(101);
        expect(t.top + t.height).toBeLessThanOrEqual(77);
        for (let y = t.top; y < t.top + t.height; y++)
          covered.fill(1, y * 101 + t.left, y * 101 + t.left + t.width);
      }
      expect(covered.every((v) => v === 1)).toBe(true);
    }
  });

  it('adaptive threshold keeps a dark square dark in shadow and drops the shadow itself', () => {
    const w = 120;
    const data = new Uint8Array(w * w);
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < w; x++) {
        const light = x < 60 ? 90 : 220; // a shadow over the left half
        const ink = (x >= 20 && x < 40 && y >= 50 && y < 70) || (x >= 80 && x < 100 && y >= 50 && y < 70);
        data[y * w + x] = ink ? light - 70 : light;
      }
    }
    const bin = adaptiveThreshold({ data, width: w, height: w }, 31);
    expect(bin.data[60 * w + 30]).toBe(0); // ink in shadow
    expect(bin.data[60 * w + 90]).toBe(0); // ink in light
    expect(bin.data[10 * w + 30]).toBe(255); // shadowed wall
    expect(bin.data[10 * w + 90]).toBe(255); // lit wall
    const cut = crop(bin, 20, 50, 20, 20);
    expect(cut.data.every((v) => v === 0)).toBe(true);
  });
});
