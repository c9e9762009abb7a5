/**
 * Near-duplicates: a MinHash signature of a text's words (the same ad re-posted with small edits),
 * compared by estimated Jaccard similarity through LSH bands; and a 64-bit difference hash of an
 * image (the same picture resized or recompressed), 16 hex digits compared by Hamming distance.
 */
import sharp from 'sharp';

/** Texts with fewer words than this get no signature (too short to call two of them the same ad). */
export const MIN_WORDS = 8;

/** MinHash size and LSH banding: 8 bands of 4 rows find pairs above ~0.6 Jaccard similarity. */
const PERMUTATIONS = 32;
const ROWS = 4;
/** Estimated Jaccard similarity of word sets above which two texts are the same ad re-posted. */
export const TEXT_SIMILARITY = 0.6;

function fnv32(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A 32-bit mixing step (murmur3 finalizer) used to derive independent hash functions. */
function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The MinHash signature of a text's words and word pairs (case- and digit-insensitive, so a new
 * price keeps the ad the same), or undefined when the text is too short.
 */
export function minhash(text: string): Uint32Array | undefined {
  const words =
    text
      .toLowerCase()
      .replace(/\d+/g, '0')
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < MIN_WORDS) return undefined;
  const features = new Set([...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)]);
  const sig = new Uint32Array(PERMUTATIONS).fill(0xffffffff);
  for (const f of features) {
    const h = fnv32(f, 0x811c9dc5);
    for (let p = 0; p < PERMUTATIONS; p++) {
      const v = mix(h ^ Math.imul(p + 1, 0x9e3779b1));
      if (v < sig[p]!) sig[p] = v;
    }
  }
  return sig;
}

/** The share of equal minima: an estimate of the Jaccard similarity of the two texts. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let p = 0; p < PERMUTATIONS; p++) if (a[p] === b[p]) same++;
  return same / PERMUTATIONS;
}

/** One lookup key per band of rows: similar texts share a band with high probability. */
export function bandKeys(sig: Uint32Array): number[] {
  const keys: number[] = [];
  for (let band = 0; band < PERMUTATIONS / ROWS; band++) {
    let h = band;
    for (let r = 0; r < ROWS; r++) h = mix(h ^ sig[band * ROWS + r]!);
    keys.push(h);
  }
  return keys;
}

/** Brightness steps this small (of 255) count as flat. */
const FLAT = 3;

/** The difference hash of an image: 9×8 grey thumbnail, one bit per left-right brightness step. */
export async function dhash(bytes: Uint8Array): Promise<string> {
  const px = await sharp(bytes, { limitInputPixels: 40_000_000, pages: 1 })
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer();
  // A step counts only when clearly brighter: flat areas then stay 0 through recompression noise.
  const at = (bit: number) => Math.floor(bit / 8) * 9 + (bit % 8);
  return bitsToHex((bit) => px[at(bit)]! > px[at(bit) + 1]! + FLAT);
}

function bitsToHex(isSet: (bit: number) => boolean): string {
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0;
    for (let k = 0; k < 4; k++) if (isSet(nibble * 4 + k)) v |= 1 << k;
    hex += v.toString(16);
  }
  return hex;
}

/** A 64-bit fingerprint as two 32-bit halves, for fast Hamming distance. */
export type Halves = { hi: number; lo: number };

/** The halves of a 16-hex-digit fingerprint. */
export const halvesOf = (hash: string): Halves => ({
  hi: Number.parseInt(hash.slice(0, 8), 16),
  lo: Number.parseInt(hash.slice(8), 16),
});

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Bits that differ between two fingerprints. */
export const distance = (a: Halves, b: Halves) =>
  popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);

/** Bits that differ between two 16-hex-digit fingerprints. */
export function hamming(a: string, b: string): number {
  return distance(halvesOf(a), halvesOf(b));
}

/** Pictures re-used, resized or recompressed differ by a few bits. */
export const IMAGE_DISTANCE = 3;

const block = (h: Halves, i: number) => ((i < 4 ? h.hi : h.lo) >>> (8 * (3 - (i % 4)))) & 0xff;
const BLOCK_PAIRS = Array.from({ length: 8 }, (_, i) =>
  Array.from({ length: 8 - i - 1 }, (_, k) => [i, i + k + 1] as const),
).flat();

/**
 * Lookup keys such that two fingerprints within `maxDistance` bits share at least one key
 * (pigeonhole). Up to 3 bits: four 16-bit bands. Up to 6 bits: the 64 bits as eight bytes, of which
 * at least two agree, keyed by every pair of bytes (28 keys of 16 bits, so buckets stay small).
 */
export function lookupKeys(h: Halves, maxDistance: number): number[] {
  if (maxDistance <= 3)
    return [0, 1, 2, 3].map((b) => (b << 16) | (((b < 2 ? h.hi : h.lo) >>> (b % 2 ? 0 : 16)) & 0xffff));
  if (maxDistance <= 6)
    return BLOCK_PAIRS.map(([i, j], n) => ((n + 4) << 16) | (block(h, i) << 8) | block(h, j));
  throw new Error(`near-duplicate search supports distances up to 6 bits, not ${maxDistance}`);
}

/** Pairs of items whose fingerprints differ in at most `maxDistance` bits (≤ 6). */
export function nearPairs<T>(items: { key: T; hash: string }[], maxDistance: number): [T, T, number][] {
  const halves = items.map((i) => halvesOf(i.hash));
  const buckets = new Map<number, number[]>();
  const pairs = new Map<string, [T, T, number]>();
  halves.forEach((h, idx) => {
    for (const k of lookupKeys(h, maxDistance)) {
      const bucket = buckets.get(k);
      if (!bucket) {
        buckets.set(k, [idx]);
        continue;
      }
      for (const other of bucket) {
        const d = distance(h, halves[other]!);
        if (d <= maxDistance) pairs.set(`${other}|${idx}`, [items[other]!.key, items[idx]!.key, d]);
      }
      bucket.push(idx);
    }
  });
  return [...pairs.values()];
}
