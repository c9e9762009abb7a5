/**
 * QR decoding on ../shared/datasets/zxing-qr: detection rate, false positives and median ms per
 * image (on images with a code; median, p95 and images/s on the 46 without one) for Dozor's decoder, beside two baselines in the same run: jsQR alone and zxing-wasm alone,
 * each on the original image. Then throughput of the worker pool (2 threads) on generated
 * 1080×1080 post images and 3000×2000 photos.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { repoRoot } from '../src/config/config.ts';
import { decodeImage } from '../src/qr/decode-image.ts';
import { createDecodePool } from '../src/qr/decode-pool.ts';
import { readJsqr, readZxing } from '../src/qr/engines.ts';

const DATASET = join(repoRoot, '..', 'shared', 'datasets', 'zxing-qr');

type Decoder = (bytes: Buffer) => Promise<string[]>;

const rgba = async (bytes: Buffer) => {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
};
const jsqrAlone: Decoder = async (bytes) => readJsqr(await rgba(bytes)).map((c) => c.text);
const zxingAlone: Decoder = async (bytes) => (await readZxing(await rgba(bytes))).map((c) => c.text);
const dozor: Decoder = async (bytes) => (await decodeImage(bytes)).codes.map((c) => c.text);

async function measure(name: string, decode: Decoder, truth: Record<string, { payloads: string[] }>) {
  let found = 0;
  let withCode = 0;
  let falsePositives = 0;
  const ms: number[] = [];
  const noCodeMs: number[] = [];
  for (const [path, { payloads }] of Object.entries(truth)) {
    const bytes = readFileSync(join(DATASET, path));
    const t = performance.now();
    const texts = await decode(bytes).catch(() => [] as string[]);
    const elapsed = performance.now() - t;
    if (payloads.length === 0) {
      noCodeMs.push(elapsed);
      falsePositives += texts.length > 0 ? 1 : 0;
    } else {
      ms.push(elapsed);
      withCode++;
      if (payloads.every((p) => texts.includes(p))) found++;
    }
  }
  const at = (xs: number[], q: number) => +xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!.toFixed(1);
  ms.sort((a, b) => a - b);
  noCodeMs.sort((a, b) => a - b);
  const noCodeTotal = noCodeMs.reduce((a, b) => a + b, 0) / 1000;
  return {
    bench: `QR ${name}`,
    detected: `${found}/${withCode} (${((100 * found) / withCode).toFixed(1)}%)`,
    'false positives': falsePositives,
    'median ms': at(ms, 0.5),
    'no code: median ms': at(noCodeMs, 0.5),
    'no code: p95 ms': at(noCodeMs, 0.95),
    'no code: images/s': +(noCodeMs.length / noCodeTotal).toFixed(1),
  };
}

/** A photo-like JPEG of `w`×`h` with a code of `side` pixels somewhere in it (none when 0); deterministic. */
async function syntheticPhoto(w: number, h: number, side: number, i: number): Promise<Buffer> {
  const code = side
    ? await QRCode.toBuffer(`https://t.me/bench_channel_${i}`, { width: side, margin: 2 })
    : await sharp({ create: { width: 8, height: 8, channels: 3, background: '#777' } })
        .png()
        .toBuffer();
  return sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: { r: 90 + i * 7, g: 110, b: 130 },
      noise: { type: 'gaussian', mean: 128, sigma: 24 },
    },
  })
    .blur(1.2) // grain with some spatial correlation, as in photos (sharp composites after the blur)
    .composite([
      {
        input: code,
        left: Math.round((w - side) * ((i * 37) % 100) * 0.01),
        top: Math.round((h - side) / 2),
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Images per second through a 2-thread decode pool. */
async function throughput(label: string, w: number, h: number, side: number, n: number) {
  const images = await Promise.all(Array.from({ length: n }, (_, i) => syntheticPhoto(w, h, side, i)));
  const pool = createDecodePool({ size: 2 });
  try {
    await Promise.all([pool.decode(images[0]!), pool.decode(images[1]!)]); // start both workers
    const t = performance.now();
    const results = await Promise.all(images.map((b) => pool.decode(b)));
    const seconds = (performance.now() - t) / 1000;
    const read = results.filter((r) => r.codes.length > 0).length;
    return {
      bench: `QR throughput ${label}, 2 workers`,
      images: n,
      read,
      'images/s': +(n / seconds).toFixed(1),
    };
  } finally {
    await pool.close();
  }
}

/** Runs the benchmark (skipped, with a note, when the dataset is not beside the repo). */
export async function benchQr() {
  if (!existsSync(join(DATASET, 'truth.json'))) return [{ bench: `QR: no dataset at ${DATASET}` }];
  const truth = JSON.parse(readFileSync(join(DATASET, 'truth.json'), 'utf8'));
  return [
    await measure('jsQR alone (baseline)', jsqrAlone, truth),
    await measure('zxing-wasm alone (baseline)', zxingAlone, truth),
    await measure('dozor decoder', dozor, truth),
    await throughput('1080×1080 posts with a code', 1080, 1080, 300, 24),
    await throughput('3000×2000 photos with a code', 3000, 2000, 360, 12),
    await throughput('1080×1080 posts, no code', 1080, 1080, 0, 8),
    await throughput('3000×2000 photos, no code', 3000, 2000, 0, 6),
  ];
}
