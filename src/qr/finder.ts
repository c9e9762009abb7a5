/**
 * A cheap test of whether an image may hold a QR code: the classic finder-pattern scan (as in
 * zxing's FinderPatternFinder). Rows of a binarized image are scanned for five runs in the ratio
 * 1:1:3:1:1 (dark-light-dark-light-dark, or its inverse for light-on-dark codes), each candidate is
 * confirmed by the same ratio down its centre column and along a diagonal, and nearby confirmations are merged. The
 * tolerance is generous: the test only decides whether the decoder's expensive strategies are worth
 * running, so a false "yes" costs time and a false "no" costs a code.
 */
import type { Grey } from './pixels.ts';

/** A confirmed finder-pattern candidate: centre and outer size (7 modules) in the scanned image's pixels. */
export interface FinderCandidate {
  x: number;
  y: number;
  size: number;
  hits: number;
}

/** Tolerance of each run, as a fraction of the module size (as zxing's: 0.5). */
const TOLERANCE = 0.5;

/** True when the five runs `r[0..4]` are in the ratio 1:1:3:1:1 within TOLERANCE. */
function ratioOk(r0: number, r1: number, r2: number, r3: number, r4: number): boolean {
  const total = r0 + r1 + r2 + r3 + r4;
  if (total < 7) return false;
  const m = total / 7;
  const tol = m * TOLERANCE;
  return (
    Math.abs(r0 - m) < tol &&
    Math.abs(r1 - m) < tol &&
    Math.abs(r2 - 3 * m) < 3 * tol &&
    Math.abs(r3 - m) < tol &&
    Math.abs(r4 - m) < tol
  );
}

/**
 * Checks the column through (x, y) for the same pattern, centred on the run holding (x, y);
 * returns its total height, or 0. `dark` is the centre run's value (0 or 255).
 */
function verticalTotal(b: Grey, x: number, y: number, dark: number, maxTotal: number): number {
  const { data, width: w, height: h } = b;
  const runs = [0, 0, 0, 0, 0];
  // Centre run, both ways.
  let up = y;
  while (up >= 0 && data[up * w + x] === dark) up--;
  let down = y;
  while (down < h && data[down * w + x] === dark) down++;
  runs[2] = down - up - 1;
  // Outward: light, then dark, on each side.
  for (const [dir, start, i1, i0] of [
    [-1, up, 1, 0],
    [1, down, 3, 4],
  ] as const) {
    let p = start;
    let n = 0;
    while (p >= 0 && p < h && data[p * w + x] !== dark && n <= maxTotal) {
      n++;
      p += dir;
    }
    if (p < 0 || p >= h) return 0;
    runs[i1] = n;
    n = 0;
    while (p >= 0 && p < h && data[p * w + x] === dark && n <= maxTotal) {
      n++;
      p += dir;
    }
    runs[i0] = n;
  }
  const total = runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]!;
  if (total > maxTotal) return 0;
  return ratioOk(runs[0]!, runs[1]!, runs[2]!, runs[3]!, runs[4]!) ? total : 0;
}

/** Checks the diagonal through (x, y) (up-left to down-right) for the same pattern, as zxing does. */
function diagonalOk(b: Grey, x: number, y: number, dark: number, maxTotal: number): boolean {
  const { data, width: w, height: h } = b;
  const at = (i: number) => data[(y + i) * w + x + i];
  const inside = (i: number) => x + i >= 0 && y + i >= 0 && x + i < w && y + i < h;
  const runs = [0, 0, 0, 0, 0];
  let up = 0;
  while (inside(up) && at(up) === dark) up--;
  let down = 0;
  while (inside(down) && at(down) === dark) down++;
  runs[2] = down - up - 1;
  for (const [dir, start, i1, i0] of [
    [-1, up, 1, 0],
    [1, down, 3, 4],
  ] as const) {
    let p = start;
    let n = 0;
    while (inside(p) && at(p) !== dark && n <= maxTotal) {
      n++;
      p += dir;
    }
    if (!inside(p)) return false;
    runs[i1] = n;
    n = 0;
    while (inside(p) && at(p) === dark && n <= maxTotal) {
      n++;
      p += dir;
    }
    runs[i0] = n;
  }
  if (runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]! > maxTotal) return false;
  return ratioOk(runs[0]!, runs[1]!, runs[2]!, runs[3]!, runs[4]!);
}

/** Finder-pattern candidates in a binarized image (pixels 0 or 255), scanning every `rowStep`-th row. */
export function findFinderPatterns(b: Grey, rowStep = 1, limit = 1000): FinderCandidate[] {
  const { data, width: w, height: h } = b;
  const found: FinderCandidate[] = [];
  const runs = new Int32Array(5);
  for (let y = 0; y < h; y += rowStep) {
    const row = y * w;
    let count = 0; // runs completed so far in this row (up to 5 kept)
    let len = 1;
    for (let x = 1; x <= w; x++) {
      if (x < w && data[row + x] === data[row + x - 1]) {
        len++;
        continue;
      }
      // A run of `len` pixels ended at x - 1.
      if (count === 5) runs.copyWithin(0, 1);
      else count++;
      runs[count - 1] = len;
      len = 1;
      if (count < 5) continue;
      if (!ratioOk(runs[0]!, runs[1]!, runs[2]!, runs[3]!, runs[4]!)) continue;
      const total = runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]!;
      const cx = Math.round(x - runs[4]! - runs[3]! - runs[2]! / 2);
      const dark = data[row + cx]!;
      const vt = verticalTotal(b, cx, y, dark, total * 2);
      if (vt === 0 || vt < total / 2) continue;
      if (!diagonalOk(b, cx, y, dark, total * 3)) continue;
      const prev = found.find((f) => Math.abs(f.x - cx) < f.size / 2 && Math.abs(f.y - y) < f.size / 2);
      if (prev) prev.hits++;
      else {
        found.push({ x: cx, y, size: (total + vt) / 2, hits: 1 });
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}

/** Rows a candidate must be confirmed on: a finder's centre square is 3 modules tall, noise rarely is. */
const MIN_HITS = 3;

/**
 * True when `found` holds two finder candidates that could belong to one code: each confirmed on
 * MIN_HITS rows, sizes within a factor 1.7, centres 1.5 to 30 finder sizes apart (a code's finders
 * are 14 to 170 modules apart, a finder is 7). Chosen on the zxing-qr dataset and fixtures/qr: it
 * passes every image whose code Dozor reads and rejects most photos without one.
 */
export function looksLikeCode(found: FinderCandidate[]): boolean {
  const c = found.filter((f) => f.hits >= MIN_HITS).slice(0, 300);
  for (let i = 0; i < c.length; i++) {
    for (let j = i + 1; j < c.length; j++) {
      const a = c[i]!;
      const b = c[j]!;
      if (Math.max(a.size, b.size) / Math.min(a.size, b.size) > 1.7) continue;
      const s = (a.size + b.size) / 2;
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      if (d >= 1.5 * s && d <= 30 * s) return true;
    }
  }
  return false;
}
