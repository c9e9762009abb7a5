/**
 * Normalization for matching, with a map back to original offsets. Three passes over UTF-16 units
 * held in typed arrays that are reused from call to call (nothing is allocated per character):
 * 1. per character (fold-char.ts): NFKC, lower case, diacritics and Kazakh/Uzbek letters folded,
 *    invisible characters dropped, whitespace and control characters collapsed to one space;
 * 2. letters spelled apart (м.е.ф, с о л ь, m-e-f) joined (only when pass 1 saw such a run);
 * 3. per word (fold-word.ts): look-alikes, digits as letters, stretched letters, apostrophes; the
 *    scorer's automaton can run over its output as it is written.
 */
import { Buffer } from 'node:buffer';
import { foldChar, foldTable, wordUnits } from './fold-char.ts';
import { foldWords, UNAMBIGUOUS } from './fold-word.ts';
import type { UnitScan } from './matcher.ts';

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
  /** The highest UTF-16 unit of the original text (a cheap gate for the emoji automaton). */
  high: number;
  /** The original text's units: `source[0..map[len])`. */
  source: Uint16Array;
  /** At least the length of the longest run of letters and digits in the result (set by pass 3). */
  maxWord: number;
  /** How many ASCII digits the result holds (set by pass 3). */
  digits: number;
  /** Set by pass 1 when pass 2 may find letters spelled apart (three single units apart by separators). */
  spelled: boolean;
}

const SPACE = 32;
/** Typed arrays use the host's byte order; UTF-16LE bytes can be read as units only on a little-endian host. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const buffer16 = (size: number): Buffer16 => ({
  codes: new Uint16Array(size),
  map: new Int32Array(size + 1),
  len: 0,
  cyrOnly: 0,
  latOnly: 0,
  high: 0,
  source: new Uint16Array(size),
  maxWord: 0,
  digits: 0,
  spelled: false,
});

/** The buffer normalizations write into (the engine is synchronous: one at a time). */
const scratch = buffer16(1024);
/** Texts longer than this get a buffer of their own, so the shared one stays small. */
const SCRATCH_LIMIT = 1 << 20;
/** A byte view of the last `source` array written to. */
let sourceBytes = Buffer.from(scratch.source.buffer);

/** Copies the units of `input` into the buffer's `source`, natively where the host allows. */
function readSource(input: string, b: Buffer16): Uint16Array {
  if (b.source.length < input.length) b.source = new Uint16Array(Math.max(input.length, b.source.length * 2));
  const units = b.source;
  if (sourceBytes.buffer !== units.buffer) sourceBytes = Buffer.from(units.buffer);
  // a typed array read is the same whatever the string's representation (a string's charCodeAt is not)
  if (littleEndian) sourceBytes.write(input, 0, 'utf16le');
  else for (let i = 0; i < input.length; i++) units[i] = input.charCodeAt(i);
  return units;
}

/** Normalizes `input` for matching and keeps the offset map. */
export function normalize(input: string): Normalized {
  const b = normalizeScratch(input);
  return { text: unitsToString(b.codes, b.len), map: b.map.slice(0, b.len + 1) };
}

/**
 * Normalizes `input` into a shared buffer and returns it: `codes[0..len)`, `map[0..len]`. The result
 * may be overwritten by the next call, so use it before normalizing anything else. With `scan`,
 * its DFA runs over the result as the last pass writes it (see foldWords). `everyPass` runs pass 2
 * even when pass 1 saw nothing for it (tests compare the two).
 */
export function normalizeScratch(input: string, scan?: UnitScan, everyPass = false): Buffer16 {
  const b = input.length > SCRATCH_LIMIT ? buffer16(input.length + 16) : scratch;
  foldChars(input, b);
  // pass 2 only where pass 1 saw single units apart (or always, for tests)
  if (b.spelled || everyPass) joinSpelledOut(b);
  foldWords(b, scan);
  b.map[b.len] = input.length;
  return b;
}

/** The string of `codes[0..len)`. */
export function unitsToString(codes: Uint16Array, len: number): string {
  // the units' bytes read as UTF-16LE: one copy, no per-unit work (typed arrays use the host's order)
  if (littleEndian) return Buffer.from(codes.buffer, codes.byteOffset, len * 2).toString('utf16le');
  let s = '';
  for (let i = 0; i < len; i += 4096)
    s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(len, i + 4096)) as unknown as number[]);
  return s;
}

/** Makes room for at least `need` units (and the map's closing entry), keeping what is there. */
function ensure(b: Buffer16, need: number): void {
  if (b.codes.length >= need + 1) return;
  const size = Math.max(need + 1, b.codes.length * 2);
  const codes = new Uint16Array(size);
  codes.set(b.codes.subarray(0, b.len));
  const map = new Int32Array(size + 1);
  map.set(b.map.subarray(0, b.len));
  b.codes = codes;
  b.map = map;
}

/**
 * The fold table with each entry's script mark and category folded in: `unit | mark << 16 |
 * category << 18` for a character that folds to one unit (mark 1: a Cyrillic letter with no Latin
 * look-alike, 2: the reverse; category: see SPELL), RARE for one that needs foldChar (expansions,
 * surrogates), SPACE_LIKE or DROPPED.
 */
let marked: Int32Array | undefined;
const RARE = -2;
const DROPPED = -1;
const SPACE_LIKE = -3;

function markedTable(): Int32Array {
  if (marked) return marked;
  const table = foldTable();
  const t = new Int32Array(table.length);
  for (let c = 0; c < table.length; c++) {
    const v = table[c]!;
    if (v === SPACE) t[c] = SPACE_LIKE;
    else if (v < 0) t[c] = v === -1 ? DROPPED : RARE;
    else t[c] = v | ((v < 0x530 ? UNAMBIGUOUS[v]! : 0) << 16) | (category(v) << 18);
  }
  marked = t;
  return t;
}

/**
 * Unit categories for spotting letters spelled apart in pass 1: other, a word unit, `@`, a
 * separator. A small DFA over them (SPELL) reaches SPELLED once three single units (a word unit or
 * `@` with no word unit on either side) follow one another with 1-3 separators between each two:
 * without that, pass 2 has nothing to join and is skipped.
 */
const OTHER = 0;
const WORD_UNIT = 1;
const AT_UNIT = 2;
const SEPARATOR_UNIT = 3;

function category(c: number): number {
  if (wordUnits()[c] === 1) return WORD_UNIT;
  if (c === AT) return AT_UNIT;
  return SEPARATOR[c] === 1 ? SEPARATOR_UNIT : OTHER;
}

/** States (times 4): singles in the chain (0-2), separators since the last (0-4), the last two categories. */
const spellState = (chain: number, seps: number, c1: number, c2Word: number) =>
  4 * (((chain * 5 + seps) * 4 + c1) * 2 + c2Word);
const SPELLED = 4 * 120;
/** `SPELL[state + category]`: the next state. */
const SPELL = (() => {
  const t = new Int32Array(SPELLED + 4).fill(SPELLED);
  for (let chain = 0; chain < 3; chain++)
    for (let seps = 0; seps < 5; seps++)
      for (let c1 = 0; c1 < 4; c1++)
        for (let c2Word = 0; c2Word < 2; c2Word++)
          for (let cu = 0; cu < 4; cu++) {
            // the unit before this one (c1) is single when no word unit stands on either side
            let nextChain = chain;
            let nextSeps = seps;
            if ((c1 === WORD_UNIT || c1 === AT_UNIT) && c2Word === 0 && cu !== WORD_UNIT) {
              nextChain = chain > 0 && seps <= 3 ? chain + 1 : 1;
              nextSeps = 0;
            } else if (c1 === SEPARATOR_UNIT) nextSeps = Math.min(seps + 1, 4);
            else nextChain = nextSeps = 0;
            t[spellState(chain, seps, c1, c2Word) + cu] =
              nextChain >= 3 ? SPELLED : spellState(nextChain, nextSeps, cu, c1 === WORD_UNIT ? 1 : 0);
          }
  return t;
})();

function foldChars(input: string, b: Buffer16): void {
  const n = input.length;
  b.len = 0;
  // room for one unit per character; the rare path makes more room when a character expands
  ensure(b, n + 16);
  let codes = b.codes;
  let map = b.map;
  const units = readSource(input, b);
  const table = markedTable();
  const spell = SPELL;
  const size = table.length;
  let cyrOnly = 0;
  let latOnly = 0;
  let len = 0;
  let high = 0;
  let sp = 0;
  for (let i = 0; i < n; i++) {
    const c = units[i]!;
    if (c > high) high = c;
    const e = c < size ? table[c]! : RARE;
    if (e >= 0) {
      codes[len] = e & 0xffff;
      map[len++] = i;
      // the script mark counted without a branch (mark 1 or 2 in bits 16-17)
      cyrOnly += (e >>> 16) & 1;
      latOnly += (e >>> 17) & 1;
      sp = spell[sp + (e >>> 18)]!;
      continue;
    }
    if (e === SPACE_LIKE) {
      if (len === 0 || codes[len - 1] === SPACE) continue;
      codes[len] = SPACE;
      map[len++] = i;
      sp = spell[sp + SEPARATOR_UNIT]!;
      continue;
    }
    if (e === DROPPED) continue;
    b.len = len;
    const next = foldRare(units, n, i, b);
    if (next > i) high = Math.max(high, units[next]!);
    i = next;
    codes = b.codes;
    map = b.map;
    for (let k = len; k < b.len; k++) sp = spell[sp + category(codes[k]!)]!;
    len = b.len;
  }
  b.len = len;
  b.cyrOnly = cyrOnly;
  b.latOnly = latOnly;
  b.high = high;
  b.spelled = spell[sp + OTHER] === SPELLED;
}

/**
 * Folds the character at `i` that the table does not settle (a surrogate pair, an expansion, a
 * character past the table) into `b`; returns the index of its last unit.
 */
function foldRare(units: Uint16Array, n: number, i: number, b: Buffer16): number {
  const c = units[i]!;
  let cp = c;
  const start = i;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
    const d = units[i + 1]!;
    if (d >= 0xdc00 && d <= 0xdfff) {
      cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
      i++;
    }
  }
  const folded = foldChar(cp);
  let len = b.len;
  if (typeof folded === 'number') {
    if (folded < 0) return i;
    if (folded === SPACE && (len === 0 || b.codes[len - 1] === SPACE)) return i;
    b.codes[len] = folded;
    b.map[len++] = start;
  } else {
    // keep room for one unit per remaining character
    ensure(b, len + folded.length + (n - i) + 16);
    for (let k = 0; k < folded.length; k++) {
      b.codes[len] = folded.charCodeAt(k);
      b.map[len++] = start;
    }
  }
  b.len = len;
  return i;
}

/** Units that may separate letters spelled apart: space . - _ * · • / | , + ~ */
const SEPARATOR = (() => {
  const t = new Uint8Array(0x10000);
  for (const c of [32, 46, 45, 95, 42, 183, 8226, 47, 124, 44, 43, 126]) t[c] = 1;
  return t;
})();
const AT = 64;

/** Joins runs of ≥ 3 single letters split by the same separator ("м.е.ф", "с о л ь") into one word. */
function joinSpelledOut(b: Buffer16): void {
  const codes = b.codes;
  const map = b.map;
  const len = b.len;
  const word = wordUnits();
  const sepTable = SEPARATOR;
  let drop: Uint8Array | undefined;
  let i = 0;
  while (i < len) {
    // fast path: a unit inside a word, or not a word unit at all, cannot start a spelled-out run
    const c = codes[i]!;
    if (word[c] !== 1 && c !== AT) {
      i++;
      continue;
    }
    if (i + 1 < len && word[codes[i + 1]!] === 1) {
      // `@` before a word: the word's first unit may still stand alone ("@a.b.c")
      if (c === AT) {
        i++;
        continue;
      }
      // a word of two units or more: none of its units stands alone
      i += 2;
      while (i < len && word[codes[i]!] === 1) i++;
      continue;
    }
    if (!isSingle(codes, len, i, word)) {
      i++;
      continue;
    }
    let sepKey = -1;
    let units = 1;
    let j = i;
    for (;;) {
      let k = j + 1;
      const from = k;
      let key = 0;
      while (k < len && k - from < 3 && sepTable[codes[k]!] === 1) key = key * 0x10000 + codes[k++]!;
      if (k === from || k >= len || !isSingle(codes, len, k, word)) break;
      key = key * 4 + (k - from); // the length too: "." and ".." differ
      if (sepKey !== -1 && key !== sepKey) break;
      sepKey = key;
      units++;
      j = k;
    }
    if (units >= 3) {
      // between the letters of the run there are only separators
      drop ??= new Uint8Array(len);
      for (let x = i + 1; x < j; x++) if (sepTable[codes[x]!] === 1) drop[x] = 1;
    }
    i = units > 1 && units < 3 ? j : j + 1;
  }
  if (!drop) return;
  let w = 0;
  for (let r = 0; r < len; r++) {
    if (drop[r]) continue;
    codes[w] = codes[r]!;
    map[w++] = map[r]!;
  }
  b.len = w;
}

/** A letter (or 0, 3, @) standing alone, with no word unit on either side. */
function isSingle(codes: Uint16Array, len: number, i: number, word: Uint8Array): boolean {
  const c = codes[i]!;
  if (c >= 48 && c <= 57 ? c !== 48 && c !== 51 : word[c] !== 1 && c !== AT) return false;
  return !(i > 0 && word[codes[i - 1]!] === 1) && !(i + 1 < len && word[codes[i + 1]!] === 1);
}

/** Normalizes a rule term or atom the way texts are normalized (offsets dropped). */
export const normalizeTerm = (term: string): string => normalize(term).text.trim();
