/**
 * Normalization for matching, with a map back to original offsets. Three passes over UTF-16 units
 * held in typed arrays:
 * 1. per character (fold-char.ts): NFKC, lower case, diacritics and Kazakh/Uzbek letters folded,
 *    invisible characters dropped, whitespace and control characters collapsed to one space;
 * 2. letters spelled apart (м.е.ф, с о л ь, m-e-f) joined;
 * 3. per word (fold-word.ts): look-alikes, digits as letters, stretched letters, apostrophes.
 */
import { foldChar, foldTable, wordUnits } from './fold-char.ts';
import { foldWords, UNAMBIGUOUS } from './fold-word.ts';

/** Normalized text and, for each of its UTF-16 units, the offset in the original it came from. */
export interface Normalized {
  text: string;
  /** `map[i]` is the original offset of normalized unit i; `map[text.length]` is the original length. */
  map: Int32Array;
}

/** Units being normalized: `codes[0..len)` with their original offsets `map[0..len]`. */
export interface Buffer16 {
  codes: Uint16Array;
  map: Int32Array;
  len: number;
  /** Letters of one script that have no look-alike in the other (Cyrillic, Latin), counted in pass 1. */
  cyrOnly: number;
  latOnly: number;
}

const SPACE = 32;
const decoder = new TextDecoder('utf-16le');

/** Normalizes `input` for matching and keeps the offset map. */
export function normalize(input: string): Normalized {
  const b = foldChars(input);
  joinSpelledOut(b);
  foldWords(b);
  b.map[b.len] = input.length;
  return { text: decoder.decode(b.codes.subarray(0, b.len)), map: b.map.subarray(0, b.len + 1) };
}

function foldChars(input: string): Buffer16 {
  const n = input.length;
  let codes = new Uint16Array(n + 16);
  let map = new Int32Array(n + 17);
  let len = 0;
  const grow = () => {
    const c2 = new Uint16Array(codes.length * 2);
    c2.set(codes);
    const m2 = new Int32Array(map.length * 2);
    m2.set(map);
    codes = c2;
    map = m2;
  };
  const table = foldTable();
  const unambiguous = UNAMBIGUOUS; // a local: imported bindings can be getters under a loader
  let cyrOnly = 0;
  let latOnly = 0;
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    // fast path: a character that folds to one unit (or none) by the table
    const v = c < table.length ? table[c]! : -2;
    if (v >= 0 && v !== SPACE) {
      if (v < 0x530) {
        const u = unambiguous[v];
        if (u === 1) cyrOnly++;
        else if (u === 2) latOnly++;
      }
      if (len + 1 >= codes.length) grow();
      codes[len] = v;
      map[len++] = i;
      continue;
    }
    if (v === -1) continue;
    let cp = c;
    const start = i;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = input.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    const folded = foldChar(cp);
    if (typeof folded === 'number') {
      if (folded < 0) continue;
      if (folded === SPACE && (len === 0 || codes[len - 1] === SPACE)) continue;
      if (len + 1 >= codes.length) grow();
      codes[len] = folded;
      map[len++] = start;
    } else {
      for (let k = 0; k < folded.length; k++) {
        if (len + 1 >= codes.length) grow();
        codes[len] = folded.charCodeAt(k);
        map[len++] = start;
      }
    }
  }
  return { codes, map, len, cyrOnly, latOnly };
}

const SEPARATORS = new Set([32, 46, 45, 95, 42, 183, 8226, 47, 124, 44, 43, 126]);

/** Joins runs of ≥ 3 single letters split by the same separator ("м.е.ф", "с о л ь") into one word. */
function joinSpelledOut(b: Buffer16): void {
  const { codes, map } = b;
  const word = wordUnits();
  let drop: Uint8Array | undefined;
  let i = 0;
  while (i < b.len) {
    // fast path: a unit inside a word, or not a word unit at all, cannot start a spelled-out run
    const c = codes[i]!;
    if ((word[c] !== 1 && c !== 64) || (i + 1 < b.len && word[codes[i + 1]!] === 1)) {
      i++;
      continue;
    }
    if (!isSingle(b, i, word)) {
      i++;
      continue;
    }
    let sep = '';
    let units = 1;
    let j = i;
    const seps: number[] = [];
    for (;;) {
      let k = j + 1;
      const from = k;
      while (k < b.len && k - from < 3 && SEPARATORS.has(codes[k]!)) k++;
      if (k === from || k >= b.len || !isSingle(b, k, word)) break;
      const s = String.fromCharCode(...codes.subarray(from, k));
      if (sep && s !== sep) break;
      sep = s;
      for (let x = from; x < k; x++) seps.push(x);
      units++;
      j = k;
    }
    if (units >= 3) {
      drop ??= new Uint8Array(b.len);
      for (const s of seps) drop[s] = 1;
    }
    i = units > 1 && units < 3 ? j : j + 1;
  }
  if (!drop) return;
  let w = 0;
  for (let r = 0; r < b.len; r++) {
    if (drop[r]) continue;
    codes[w] = codes[r]!;
    map[w++] = map[r]!;
  }
  b.len = w;
}

/** A letter (or 0, 3, @) standing alone, with no word unit on either side. */
function isSingle(b: Buffer16, i: number, word: Uint8Array): boolean {
  const c = b.codes[i]!;
  if (c >= 48 && c <= 57 ? c !== 48 && c !== 51 : word[c] !== 1 && c !== 64) return false;
  return !(i > 0 && word[b.codes[i - 1]!] === 1) && !(i + 1 < b.len && word[b.codes[i + 1]!] === 1);
}

/** Normalizes a rule term or atom the way texts are normalized (offsets dropped). */
export const normalizeTerm = (term: string): string => normalize(term).text.trim();
