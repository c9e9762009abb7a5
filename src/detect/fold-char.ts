/**
 * Per-character folding: NFKC, lower case, diacritics stripped (Vietnamese with and without tones
 * match alike; ё→е, й→и), Kazakh and Uzbek letters folded to their Russian neighbours, invisible
 * characters dropped, whitespace, control characters and emoji turned into a space (so an emoji
 * between two words does not split a phrase), apostrophes unified.
 * Results for the BMP are cached in a table built on first use.
 */

/** Marker: the character disappears. */
const DROP = -1;
/** Folded value: a code unit (or DROP), or a string for characters that expand. */
export type Folded = number | string;

const EXTRA: Record<string, string> = {
  đ: 'd',
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  ҳ: 'х',
  і: 'и',
  ї: 'и',
  є: 'е',
  ґ: 'г',
  ў: 'у',
  ß: 'ss',
  α: 'a',
  ı: 'i',
};
const APOSTROPHES = new Set(['ʻ', 'ʼ', '‘', '’', '`', '´', 'ʹ', "'"]);
const INVISIBLE = /^(?:\p{Cf}|\p{M}|[\u00ad\u115f\u1160\u3164\uffa0])$/u;
const SPACE_LIKE = /^[\s\p{Cc}\p{Zs}\p{Zl}\p{Zp}]$/u;
const MARKS = /\p{M}/gu;
/** Emoji and pictographs: a word break in the normalized text (rules match them on the original). */
export const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/** Folds one code point (slow path, uncached). */
function foldSlow(cp: number): Folded {
  if (cp >= 0xd800 && cp <= 0xdfff) return DROP; // a lone surrogate
  const ch = String.fromCodePoint(cp);
  if (SPACE_LIKE.test(ch) || PICTOGRAPH.test(ch)) return 32;
  if (INVISIBLE.test(ch)) return DROP;
  if (APOSTROPHES.has(ch)) return 39;
  let s = ch.normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '');
  s = Array.from(s, (c) => EXTRA[c] ?? (APOSTROPHES.has(c) ? "'" : c)).join('');
  if (s.length === 0) return DROP;
  if (s.length === 1) return s.charCodeAt(0) === 0x20 ? 32 : s.charCodeAt(0);
  return s;
}

const TABLE_SIZE = 0x3000;
let table: Int32Array | undefined;
const expanded = new Map<number, Folded>();
let astral: Int32Array | undefined;
const EXPANDS = -2;

/** Folds one code point: a code unit, DROP (-1) or a string. */
export function foldChar(cp: number): Folded {
  if (cp < TABLE_SIZE) {
    table ??= buildTable();
    const v = table[cp]!;
    if (v !== EXPANDS) return v;
  } else if (cp >= 0x10000 && cp < 0x20000) {
    // emoji and other symbols of plane 1, cached as they come: 0 not yet, -1 expands, else unit + 2
    astral ??= new Int32Array(0x10000);
    const a = astral[cp - 0x10000]!;
    if (a > 0) return a - 2;
    if (a === 0) {
      const f = foldSlow(cp);
      if (typeof f === 'number') {
        astral[cp - 0x10000] = f + 2;
        return f;
      }
      astral[cp - 0x10000] = -1;
      expanded.set(cp, f);
      return f;
    }
  }
  let f = expanded.get(cp);
  if (f === undefined) {
    f = foldSlow(cp);
    expanded.set(cp, f);
  }
  return f;
}

/** The BMP fold table for hot loops: entry ≥ 0 is the folded unit, -1 drops, -2 means call foldChar. */
export function foldTable(): Int32Array {
  table ??= buildTable();
  return table;
}

function buildTable(): Int32Array {
  const t = new Int32Array(TABLE_SIZE);
  for (let cp = 0; cp < TABLE_SIZE; cp++) {
    const f = foldSlow(cp);
    if (typeof f === 'number') t[cp] = f;
    else {
      t[cp] = EXPANDS;
      expanded.set(cp, f);
    }
  }
  return t;
}

let wordTable: Uint8Array | undefined;
const WORD = /^[\p{L}\p{N}]$/u;

/** Which UTF-16 units belong to a word (1 = letter or digit); fetch once, index inline in hot loops. */
export function wordUnits(): Uint8Array {
  wordTable ??= buildWordTable();
  return wordTable;
}

function buildWordTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (WORD.test(String.fromCharCode(c))) t[c] = 1;
  }
  return t;
}
