/**
 * Reads the QR codes in an image. sharp decodes (first frame only, with pixel and byte limits) to
 * greyscale; then a ladder of strategies runs, cheapest first, until one reads a code or the
 * deadline passes: zxing-cpp and jsQR on the image, a quiet zone and an upscale for small codes,
 * contrast normalization, adaptive thresholding (shadows, uneven light), rotation, and tiles for
 * small or several codes in a large photo. Inverted (light-on-dark) codes are tried by both
 * engines at every step. Positions are given in original-image pixels.
 */
import sharp, { type Metadata } from 'sharp';
import { type EngineCode, type Point, readJsqr, readZxing } from './engines.ts';
import { findFinderPatterns, looksLikeCode } from './finder.ts';
import { adaptiveThreshold, crop, type Grey, tiles, toRgba } from './pixels.ts';

/** A code found in an image; `position` is its corners in the original image's pixels. */
export interface DecodedCode {
  text: string;
  position: Point[];
}

/** What decoding one image gives. */
export interface DecodedImage {
  mime: string;
  width: number;
  height: number;
  codes: DecodedCode[];
  /** True when the deadline stopped the search before every strategy was tried. */
  timedOut?: boolean;
  /**
   * False when the finder-pattern pre-check saw nothing like a QR code after the cheap first
   * strategies read nothing, so the expensive ones were skipped (a definite "no code found").
   * Absent when the pre-check did not run (a code was read first, or the deadline passed).
   */
  finderGate?: boolean;
  /** Names of the strategies that ran, in order (for tests and diagnostics). */
  strategies?: string[];
}

/** Options of one decoding. */
export interface DecodeOptions {
  /** Stop trying new strategies after this many ms. @default 3000 */
  deadlineMs?: number;
}

/** Images larger than this many pixels are refused before decoding (decompression bombs). */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Files larger than this many bytes are refused unread. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** Longest side of the greyscale image the strategies work on. */
const WORK_SIDE = 3000;

/** An image that cannot be read: not an image, corrupt, or over the limits. */
export class ImageError extends Error {
  override name = 'ImageError';
}

/** A greyscale view and how its pixels map back to the original image. */
export interface View {
  grey: Grey;
  back: (p: Point) => Point;
}

/** Decodes the QR codes in `bytes`; throws ImageError for unreadable input. */
export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const deadline = performance.now() + (opts.deadlineMs ?? 3000);
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new ImageError(`file too large: ${bytes.length} bytes (limit ${MAX_INPUT_BYTES})`);
  }
  const meta = await probe(bytes);
  const { width, height } = meta;
  const mime = `image/${meta.format ?? 'unknown'}`;
  const base = await loadGrey(bytes, meta);
  const found = new Map<string, DecodedCode>();
  const take = (codes: EngineCode[], back: (p: Point) => Point) => {
    for (const c of codes) {
      if (!found.has(c.text)) found.set(c.text, { text: c.text, position: c.corners.map(back) });
    }
  };
  const ran: string[] = [];
  let finderGate: boolean | undefined;
  for (const step of strategies(base)) {
    if (performance.now() > deadline) {
      return { mime, width, height, codes: [...found.values()], timedOut: true, finderGate, strategies: ran };
    }
    if (step.name === GATE) {
      finderGate = await mayHoldCode(base);
      ran.push(GATE);
      if (!finderGate) break;
      continue;
    }
    ran.push(step.name);
    await step.run(take);
    if (found.size > 0) break;
  }
  return { mime, width, height, codes: [...found.values()], finderGate, strategies: ran };
}

/** The name of the pre-check between the cheap strategies and the expensive ones. */
const GATE = 'finder-gate';

/**
 * The finder-pattern pre-check: binarizes `base` at two scales (a global threshold at its mean for
 * large codes, whose centre squares a small window would whiten, and local-mean thresholds for
 * shadows and small codes) and looks for two finder patterns that could belong to one code.
 */
export async function mayHoldCode(base: View): Promise<boolean> {
  const small = await scaledView(base, 800);
  const sSide = Math.max(small.grey.width, small.grey.height);
  if (looksLikeCode(findFinderPatterns(globalThreshold(small.grey)))) return true;
  if (looksLikeCode(findFinderPatterns(adaptiveThreshold(small.grey, Math.max(15, Math.round(sSide / 8)))))) {
    return true;
  }
  const big = await scaledView(base, 1600);
  const bSide = Math.max(big.grey.width, big.grey.height);
  return looksLikeCode(findFinderPatterns(adaptiveThreshold(big.grey, Math.max(15, Math.round(bSide / 20)))));
}

/** `g` thresholded at its mean grey level. */
function globalThreshold(g: Grey): Grey {
  let sum = 0;
  for (let i = 0; i < g.data.length; i++) sum += g.data[i]!;
  const mean = sum / g.data.length;
  const out = new Uint8Array(g.data.length);
  for (let i = 0; i < g.data.length; i++) out[i] = g.data[i]! < mean ? 0 : 255;
  return { data: out, width: g.width, height: g.height };
}

/** Reads the header: format and size, refusing what is not an image or is too large. */
async function probe(bytes: Uint8Array): Promise<Metadata & { width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (err) {
    throw new ImageError(`not a readable image: ${(err as Error).message}`, { cause: err });
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (!width || !height) throw new ImageError('not a readable image: no dimensions');
  if (width * height > MAX_INPUT_PIXELS) {
    throw new ImageError(`image too large: ${width}×${height} pixels (limit ${MAX_INPUT_PIXELS})`);
  }
  return { ...meta, width, height };
}

/** The first frame, upright, greyscale, at most WORK_SIDE on its longest side. */
async function loadGrey(bytes: Uint8Array, meta: { width: number; height: number }): Promise<View> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1 })
      .rotate()
      .resize(WORK_SIDE, WORK_SIDE, { fit: 'inside', withoutEnlargement: true })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const grey = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...size(info) };
    const upright = meta.width >= meta.height === grey.width >= grey.height;
    const sx = (upright ? meta.width : meta.height) / grey.width;
    const sy = (upright ? meta.height : meta.width) / grey.height;
    return { grey, back: (p) => ({ x: Math.round(p.x * sx), y: Math.round(p.y * sy) }) };
  } catch (err) {
    throw new ImageError(`cannot decode image: ${(err as Error).message}`, { cause: err });
  }
}

const size = (info: { width: number; height: number }) => ({ width: info.width, height: info.height });

/** `g` resized (and optionally normalized and sharpened) with sharp. */
async function resized(g: Grey, width: number, height: number, enhance = false): Promise<Grey> {
  let img = sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } }).resize(
    Math.max(1, Math.round(width)),
    Math.max(1, Math.round(height)),
    { fit: 'fill', kernel: width > g.width ? 'cubic' : 'lanczos3' },
  );
  if (enhance) img = img.normalise().sharpen();
  const { data, info } = await img.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...size(info) };
}

/** `v` scaled so that its longest side is `side` (never above `maxScale`×). */
async function scaledView(v: View, side: number, opts: { maxScale?: number; enhance?: boolean } = {}) {
  const s = Math.min(opts.maxScale ?? 1, side / Math.max(v.grey.width, v.grey.height));
  if (s === 1 && !opts.enhance) return v;
  const grey = await resized(v.grey, v.grey.width * s, v.grey.height * s, opts.enhance);
  const kx = v.grey.width / grey.width;
  const ky = v.grey.height / grey.height;
  return { grey, back: (p: Point) => v.back({ x: p.x * kx, y: p.y * ky }) };
}

type Take = (codes: EngineCode[], back: (p: Point) => Point) => void;
type Step = { name: string; run: (take: Take) => Promise<void> };

/**
 * The strategies, cheapest and most likely first. The finder-pattern gate sits after the two
 * cheap reads of the image: when it sees no finder pattern, the expensive strategies are skipped.
 */
function strategies(base: View): Step[] {
  const side = Math.max(base.grey.width, base.grey.height);
  const zx = async (v: View, take: Take, tryHarder = false) =>
    take(await readZxing(toRgba(v.grey), { tryHarder }), v.back);
  const js = (v: View, take: Take) => take(readJsqr(toRgba(v.grey)), v.back);
  const steps: Step[] = [
    { name: 'zxing', run: (take) => zx(base, take) },
    { name: 'jsqr', run: async (take) => js(await scaledView(base, 1200), take) },
    { name: GATE, run: async () => {} },
  ];
  if (side < 900) {
    steps.push({ name: 'padded', run: async (take) => zx(await padded(base), take) });
    steps.push({
      name: 'upscaled',
      run: async (take) => {
        const up = await scaledView(base, 1200, { maxScale: 4 });
        await zx(up, take);
        js(up, take);
      },
    });
  }
  steps.push({
    name: 'enhanced',
    run: async (take) => zx(await scaledView(base, 1200, { enhance: true }), take),
  });
  steps.push({
    name: 'adaptive',
    run: async (take) => {
      const v = await scaledView(base, 1200, { maxScale: 2 });
      const bin = adaptiveThreshold(
        v.grey,
        Math.max(15, Math.round(Math.max(v.grey.width, v.grey.height) / 12)),
      );
      await zx({ grey: bin, back: v.back }, take);
      js({ grey: bin, back: v.back }, take);
    },
  });
  steps.push({
    name: 'rotated',
    run: async (take) => {
      const v = await scaledView(base, 900, { maxScale: 2 });
      for (const angle of [30, -30]) await rotatedRead(v, angle, take);
    },
  });
  if (side >= 600) {
    for (const n of [2, 3]) steps.push({ name: `tiles${n}`, run: (take) => tiledRead(base, n, take) });
  }
  return steps;
}

/** `v` inside a white border a tenth of its size: a quiet zone for codes cropped to their edge. */
async function padded(v: View): Promise<View> {
  const m = Math.max(4, Math.round(Math.max(v.grey.width, v.grey.height) / 10));
  const { data, info } = await sharp(v.grey.data, { raw: { ...size(v.grey), channels: 1 } })
    .extend({ top: m, bottom: m, left: m, right: m, background: '#ffffff' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...size(info) };
  return { grey, back: (p) => v.back({ x: p.x - m, y: p.y - m }) };
}

/** Reads `v` rotated by `angle` degrees (jsQR is weak on skewed codes). */
async function rotatedRead(v: View, angle: number, take: Take) {
  const { data, info } = await sharp(v.grey.data, { raw: { ...size(v.grey), channels: 1 } })
    .rotate(angle, { background: '#ffffff' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...size(info) };
  const rad = (-angle * Math.PI) / 180;
  const [cx, cy, ox, oy] = [info.width / 2, info.height / 2, v.grey.width / 2, v.grey.height / 2];
  const back = (p: Point) => {
    const dx = p.x - cx;
    const dy = p.y - cy;
    return v.back({
      x: ox + dx * Math.cos(rad) - dy * Math.sin(rad),
      y: oy + dx * Math.sin(rad) + dy * Math.cos(rad),
    });
  };
  take(readJsqr(toRgba(grey)), back);
}

/** Reads overlapping n×n tiles of `base`, each enlarged to about 800 px. */
async function tiledRead(base: View, n: number, take: Take) {
  for (const t of tiles(base.grey.width, base.grey.height, n)) {
    const tile: View = {
      grey: crop(base.grey, t.left, t.top, t.width, t.height),
      back: (p) => base.back({ x: p.x + t.left, y: p.y + t.top }),
    };
    const v = await scaledView(tile, 800, { maxScale: 2 });
    take(await readZxing(toRgba(v.grey), { tryHarder: false }), v.back);
  }
}
