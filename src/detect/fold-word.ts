/**
 * Per-word folding, in place, on character-folded units: Latin↔Cyrillic look-alikes are folded to
 * the script the word is written in (мeфедрон → мефедрон, сосаine → cocaine), digits between
 * letters read as letters (с0ль, м3ф, c0caine; a leading 3 before а reads з: 3акладка), `@` inside a Cyrillic word reads а (с@ль), letters
 * stretched three times or more become one (мееееф), and apostrophes inside words go (Uzbek oʻ, gʻ).
 */
import { wordUnits } from './fold-char.ts';
import { growEvents, type UnitScan } from './matcher.ts';
import type { Buffer16 } from './normalize.ts';

/** A lookup table from the even characters of `s` to the odd ones that follow them (0 = none). */
function pairs(s: string, size: number): Int32Array {
  const t = new Int32Array(size);
  for (let i = 0; i + 1 < s.length; i += 2) t[s.charCodeAt(i)] = s.charCodeAt(i + 1);
  return t;
}
/** Latin letter → Cyrillic look-alike. */
const L2C = pairs('aаbвcсeеhнkкmмoоpрtтxхyу', 128);
/** Cyrillic letter → Latin look-alike. */
const C2L = pairs('аaвbсcеeнhкkмmоoрpтtхxуyпnиi', 0x530);
/** Digits and symbols read as letters, by the word's script. */
const DIGIT_CYR = pairs('0о3е4ч6б@а', 128);
const DIGIT_LAT = pairs('0o1i3e4a5s7t$s', 128);

const APOSTROPHE = 39;
const AT = 64;
const DOLLAR = 36;
const THREE = 51;
const MAX_WORD = 20;
const A_CYR = 0x430;
const ZE = 0x437;

const isGlue = (c: number) => c === APOSTROPHE || c === AT || c === DOLLAR;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isCyrillic = (c: number) => c >= 0x400 && c <= 0x52f;
const isLatin = (c: number) => c >= 97 && c <= 122;
const isLetter = (word: Uint8Array, c: number) => word[c] === 1 && !isDigit(c);

const isLinkGlue = (c: number) => c === 46 || c === 47 || c === 95 || c === 64 || c === 58; // . / _ @ :

/** True when the word at [i, j) is glued to a link or handle by `.`, `/`, `_`, `@` or `:`. */
function isLinkPart(codes: Uint16Array, i: number, j: number, n: number): boolean {
  return (i > 0 && isLinkGlue(codes[i - 1]!)) || (j < n && isLinkGlue(codes[j]!));
}

/** For units below 0x530: 1 = a Cyrillic letter with no Latin look-alike, 2 = the reverse, else 0. */
export const UNAMBIGUOUS = (() => {
  const t = new Uint8Array(0x530);
  for (let c = 0x400; c < 0x530; c++) if (C2L[c] === 0) t[c] = 1;
  for (let c = 97; c <= 122; c++) if (L2C[c] === 0) t[c] = 2;
  return t;
})();

/**
 * Unit kinds for the word scan, as bits so that a word's letters are counted without branches:
 * Cyrillic (and whether it has no Latin look-alike), Latin (likewise), glue, a break; 0 for other
 * word units (digits, other scripts).
 */
const CYR = 1;
const CYR_ONLY = 2;
const LAT = 4;
const LAT_ONLY = 8;
const GLUE = 16;
const BREAK = 32;
let kinds: Uint8Array | undefined;

function unitKinds(): Uint8Array {
  if (kinds) return kinds;
  const word = wordUnits();
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (isCyrillic(c)) t[c] = C2L[c] === 0 ? CYR | CYR_ONLY : CYR;
    else if (isLatin(c)) t[c] = L2C[c] === 0 ? LAT | LAT_ONLY : LAT;
    else if (isGlue(c)) t[c] = GLUE;
    else t[c] = word[c] === 1 ? 0 : BREAK;
  }
  kinds = t;
  return t;
}

/** The script a text is clearly written in (≥ 80% of its unambiguous letters): 1 Cyrillic, 2 Latin, 0 neither. */
function documentScript(b: Buffer16): number {
  const total = b.cyrOnly + b.latOnly;
  if (total < 5) return 0;
  return b.cyrOnly >= 0.8 * total ? 1 : b.latOnly >= 0.8 * total ? 2 : 0;
}

/**
 * Folds every word of the buffer (see the module comment), in place. With `scan`, also runs its
 * DFA over the result as it is written and records its events (matcher.ts scanEvents reads them):
 * a word is scanned while it is measured and, in the rare case that folding changes it, again.
 */
export function foldWords(b: Buffer16, scan?: UnitScan): void {
  const { codes, map } = b;
  const n = b.len;
  const scanning = scan !== undefined;
  const table = scanning ? scan.table : EMPTY;
  const classOf = scanning ? scan.classOf : EMPTY16;
  const outFrom = scanning ? scan.outFrom : 0;
  let events = scanning ? scan.events : EMPTY;
  let ev = 0;
  let t = 0;
  const doc = documentScript(b);
  const word = wordUnits();
  const kind = unitKinds();
  let maxWord = 0;
  // ASCII digits in the result: only words with a unit below 65 can hold one, and they are written below
  let digitCount = 0;
  let w = 0;
  let i = 0;
  while (i < n) {
    const c0 = codes[i]!;
    if (word[c0] !== 1) {
      if (scanning) {
        t = table[t + classOf[c0]!]!;
        if (t >= outFrom) {
          if (ev + 2 > events.length) events = growEvents(scan);
          events[ev++] = t;
          events[ev++] = w;
        }
      }
      codes[w] = c0;
      map[w++] = map[i]!;
      i++;
      continue;
    }
    // the DFA before the word, and its events, in case folding changes the word
    const t0 = t;
    const ev0 = ev;
    const at = w - i;
    let j = i;
    let cyr = 0;
    let lat = 0;
    let cyrOnly = 0;
    let latOnly = 0;
    let glue = false;
    // whether the second loop can change anything: a unit below 65 (digit, @, $, apostrophe) or
    // three identical units in a row; otherwise only look-alike folding can, decided below
    let special = false;
    let p1 = -1;
    let p2 = -1;
    for (; j < n; j++) {
      const c = codes[j]!;
      const k = kind[c]!;
      if (k >= GLUE) {
        if (k === GLUE && j + 1 < n && word[codes[j + 1]!] === 1) glue = true;
        else break;
      }
      cyr += k & CYR;
      cyrOnly += (k >> 1) & 1;
      lat += (k >> 2) & 1;
      latOnly += (k >> 3) & 1;
      if (scanning) {
        t = table[t + classOf[c]!]!;
        if (t >= outFrom) {
          if (ev + 2 > events.length) events = growEvents(scan);
          events[ev++] = t;
          events[ev++] = at + j;
        }
      }
      if (c < 65 || (c === p1 && c === p2)) special = true;
      p2 = p1;
      p1 = c;
    }
    if (j - i > maxWord) maxWord = j - i;
    let script = 0; // 1 Cyrillic, 2 Latin
    if (cyr > 0 && lat === 0) script = 1;
    else if (lat > 0 && cyr === 0) script = 2;
    else if (cyr > 0 && lat > 0) {
      if (cyrOnly !== latOnly) script = cyrOnly > latOnly ? 1 : 2;
      else if (isLinkPart(codes, i, j, n))
        script = 2; // t.mе/…, @shоp_bot: links are Latin
      else script = doc || (cyr >= lat ? 1 : 2);
    }
    // a word made only of look-alikes takes the script of a text written clearly in the other one
    // (Vietnamese "сао" → cao; Russian "KOKC" → кокс; short Latin words such as BTC stay)
    let mixed = cyr > 0 && lat > 0;
    if (!mixed && cyrOnly === 0 && latOnly === 0 && doc !== 0 && doc !== script) {
      if (script === 1 || (script === 2 && cyr + lat >= 4)) {
        script = doc;
        mixed = true;
      }
    }
    if (!mixed && !special) {
      // nothing to fold: move the word down if units were dropped before it
      if (w !== i) {
        for (let k = i; k < j; k++) {
          codes[w] = codes[k]!;
          map[w++] = map[k]!;
        }
      } else w = j;
      i = j;
      continue;
    }
    // long tokens are codes, hashes and addresses (bc1…, 0x…): their digits and runs stay as written
    const code = j - i > MAX_WORD;
    const digits = code ? undefined : script === 1 ? DIGIT_CYR : script === 2 ? DIGIT_LAT : undefined;
    const wordStart = w;
    let run = 0;
    for (let k = i; k < j; k++) {
      let c = codes[k]!;
      if (c === APOSTROPHE && glue && k > i) continue;
      if (mixed && script === 1 && c < 128) c = L2C[c] || c;
      else if (mixed && script === 2 && isCyrillic(c)) c = C2L[c] || c;
      if (digits && c < 65 && k + 1 < j && (isDigit(c) || c === AT || c === DOLLAR)) {
        if (k > i && isLetter(word, codes[k - 1]!) && isLetter(word, codes[k + 1]!)) c = digits[c] || c;
        else if (k === i && c === THREE && script === 1 && codes[k + 1] === A_CYR) c = ZE;
      }
      // stretched letters: a run of three or more identical letters keeps one
      if (!code && w - wordStart >= 1 && codes[w - 1] === c && isLetter(word, c)) {
        run++;
        if (run === 2) w--; // the third in a row: drop the second as well
        if (run >= 2) continue;
      } else run = 0;
      if (isDigit(c)) digitCount++;
      codes[w] = c;
      map[w++] = map[k]!;
    }
    if (scanning) {
      // the word changed: scan what was written instead
      t = t0;
      ev = ev0;
      for (let k = wordStart; k < w; k++) {
        t = table[t + classOf[codes[k]!]!]!;
        if (t >= outFrom) {
          if (ev + 2 > events.length) events = growEvents(scan);
          events[ev++] = t;
          events[ev++] = k;
        }
      }
    }
    i = j;
  }
  b.len = w;
  b.maxWord = maxWord;
  b.digits = digitCount;
  if (scanning) scan.count = ev >> 1;
}

const EMPTY = new Int32Array(0);
const EMPTY16 = new Uint16Array(0);
