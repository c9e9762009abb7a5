/**
 * Multi-pattern matching: every term and regex atom of a pack in one Aho-Corasick automaton over
 * UTF-16 units of the normalized text, so scanning costs the same with 100 or 10 000 terms.
 * Characters that occur in no pattern share class 0 and send the automaton back to its root.
 * Within a memory budget the automaton is a full DFA, one table read per unit, which the scorer
 * runs inside the last normalization pass (UnitScan); past it, rows are dense for shallow states
 * and sparse below. Scanning reads a Uint16Array and writes hits into a reusable Int32Array:
 * nothing is allocated per character or per hit.
 */
import { wordUnits } from './fold-char.ts';

/** One literal to find; `payload` is handed back on each hit. */
export interface Literal {
  text: string;
  /** Must not be preceded by a letter or digit (when the literal starts with one). */
  wordStart: boolean;
  /** Must not be followed by a letter or digit (when the literal ends with one and is not a stem). */
  wordEnd: boolean;
  /** A stem: the hit runs on to the end of the word. */
  stem: boolean;
  /** Only whether it occurs matters (a gate for patterns): sets `flags[payload]`, makes no hit. */
  gate?: boolean;
  payload: number;
}

/** A compiled automaton. */
export interface Automaton {
  classOf: Uint16Array;
  classes: number;
  /** Complete transition rows (failures resolved) for shallow states: `dense[rowOf[s] + class]`. */
  dense: Int32Array;
  /** Where each state's row starts in `dense`, or -1 for deeper states, which use their children and `fail`. */
  rowOf: Int32Array;
  /**
   * Per state, what the scan loop needs in one read: `(rowOf + 1) * 4 + gatesOnly * 2 + hasOut` for
   * states with a dense row, `gatesOnly * 2 + hasOut` for the others.
   */
  info: Int32Array;
  /** Trie children of state s: classes `childClass[childStart[s] .. childStart[s + 1])`, states `childTo[…]`. */
  childStart: Int32Array;
  childClass: Int32Array;
  childTo: Int32Array;
  fail: Int32Array;
  /** Literals ending in each state, suffix states' included: `outList[outStart[s] .. outStart[s + 1])`. */
  outStart: Int32Array;
  outList: Int32Array;
  literals: Literal[];
  /** Per literal: its length, flags (1 word start, 2 word end, 4 stem, 8 gate) and payload. */
  litLen: Int32Array;
  litFlags: Uint8Array;
  litPayload: Int32Array;
  /** The smallest first unit of any literal: a text with no unit this high cannot hit. */
  minFirst: number;
  /** The smallest unit of any literal: lower units are in no literal and send the scan to the root. */
  minUnit: number;
  /**
   * The full DFA when it fits in DFA_BYTES (else empty): `table[t + class]` is the next state's
   * row start `t'`, states numbered so that those with literals ending in them come last (row start
   * ≥ `outFrom`); `table[t + classes]` is the state's number in the fields above, or, where only
   * gates of one payload end, -1 - that payload.
   */
  table: Int32Array;
  outFrom: number;
}

const WORD_START = 1;
const WORD_END = 2;
const STEM = 4;
const GATE = 8;

/** Hits of one scan: `hits[3k, 3k+1, 3k+2]` = literal, start, end (stems run to the word's end). */
export interface HitSink {
  hits: Int32Array;
  count: number;
  /** Set to 1 at the payload of every gate literal that occurred (the caller clears it). */
  flags: Uint8Array;
}

/** A sink for scans; `payloads` bounds the gate flags. */
export function hitSink(payloads: number): HitSink {
  return { hits: new Int32Array(3 * 64), count: 0, flags: new Uint8Array(Math.max(1, payloads)) };
}

/**
 * Builds the automaton for `literals` (empty texts are ignored). Within `dfaBytes` it gets a full
 * DFA (one table read per unit); past it, scans use dense rows for the shallowest states within
 * `denseBytes` and children and failure links below them.
 */
export function buildAutomaton(
  literals: Literal[],
  denseBytes = DENSE_BYTES,
  dfaBytes = DFA_BYTES,
): Automaton {
  const classOf = new Uint16Array(0x10000);
  let classes = 1;
  let minFirst = 0x10000;
  let minUnit = 0x10000;
  for (const l of literals) {
    if (l.text) minFirst = Math.min(minFirst, l.text.charCodeAt(0));
    for (let i = 0; i < l.text.length; i++) {
      const c = l.text.charCodeAt(i);
      minUnit = Math.min(minUnit, c);
      if (classOf[c] === 0) classOf[c] = classes++;
    }
  }
  const next = new Map<number, number>();
  const own: number[][] = [[]];
  let states = 1;
  literals.forEach((l, index) => {
    if (!l.text) return;
    let s = 0;
    for (let i = 0; i < l.text.length; i++) {
      const key = s * classes + classOf[l.text.charCodeAt(i)]!;
      let t = next.get(key);
      if (t === undefined) {
        t = states++;
        next.set(key, t);
        own.push([]);
      }
      s = t;
    }
    own[s]!.push(index);
  });
  // breadth-first failure links; children listed per state to walk the trie
  const children: [number, number][][] = Array.from({ length: states }, () => []);
  for (const [key, t] of next) children[Math.floor(key / classes)]!.push([key % classes, t]);
  const fail = new Int32Array(states);
  const out: (number[] | undefined)[] = new Array(states);
  const queue: number[] = [];
  for (const [, t] of children[0]!) queue.push(t);
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    const f = fail[s]!;
    const merged = [...own[s]!, ...(out[f] ?? [])];
    out[s] = merged.length ? merged : undefined;
    for (const [cls, t] of children[s]!) {
      let g = f;
      let target = step(next, classes, g, cls);
      while (target === undefined && g !== 0) {
        g = fail[g]!;
        target = step(next, classes, g, cls);
      }
      fail[t] = target !== undefined && target !== t ? target : 0;
      queue.push(t);
    }
  }
  const { dense, rowOf } = denseRows(queue, children, fail, classes, states, denseBytes);
  const childStart = new Int32Array(states + 1);
  const childClass: number[] = [];
  const childTo: number[] = [];
  for (let s = 0; s < states; s++) {
    childStart[s] = childClass.length;
    for (const [cls, t] of children[s]!) {
      childClass.push(cls);
      childTo.push(t);
    }
  }
  childStart[states] = childClass.length;
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = flat.length;
    for (const l of out[s] ?? []) flat.push(l);
  }
  outStart[states] = flat.length;
  const info = new Int32Array(states);
  for (let s = 0; s < states; s++) {
    const outs = out[s] ?? [];
    const hasOut = outs.length > 0 ? 1 : 0;
    const gatesOnly = hasOut && outs.every((l) => literals[l]!.gate) ? 2 : 0;
    info[s] = (rowOf[s]! >= 0 ? (rowOf[s]! + 1) * 4 : 0) + gatesOnly + hasOut;
  }
  const litLen = new Int32Array(literals.length);
  const litFlags = new Uint8Array(literals.length);
  const litPayload = new Int32Array(literals.length);
  literals.forEach((l, i) => {
    litLen[i] = l.text.length;
    litFlags[i] =
      (l.wordStart ? WORD_START : 0) | (l.wordEnd ? WORD_END : 0) | (l.stem ? STEM : 0) | (l.gate ? GATE : 0);
    litPayload[i] = l.payload;
  });
  // a state where only gates of one payload end is marked in the DFA by that payload
  const onlyGate = out.map((outs) => {
    if (!outs?.every((l) => literals[l]!.gate)) return -1;
    const payloads = new Set(outs.map((l) => literals[l]!.payload));
    return payloads.size === 1 ? [...payloads][0]! : -1;
  });
  const dfa = fullDfa(queue, children, fail, out, onlyGate, classes, states, dfaBytes);
  return {
    ...dfa,
    classOf,
    classes,
    dense,
    rowOf,
    info,
    childStart,
    childClass: Int32Array.from(childClass),
    childTo: Int32Array.from(childTo),
    fail,
    outStart,
    outList: Int32Array.from(flat),
    literals,
    litLen,
    litFlags,
    litPayload,
    minFirst,
    minUnit,
  };
}

/**
 * Dense rows cover at most this many bytes: the rows of the shallow states, where a scan spends
 * most of its steps, stay in the core's cache; deeper states look through their few children.
 */
const DENSE_BYTES = 256 * 1024;

/** Complete rows for the root and the shallowest states (breadth-first) within the budget. */
function denseRows(
  bfs: number[],
  children: [number, number][][],
  fail: Int32Array,
  classes: number,
  states: number,
  denseBytes: number,
) {
  const rows = Math.max(1, Math.min(states, Math.floor(denseBytes / 4 / classes)));
  const rowOf = new Int32Array(states).fill(-1);
  const dense = new Int32Array(rows * classes);
  const order = [0, ...bfs].slice(0, rows);
  order.forEach((s, row) => {
    rowOf[s] = row * classes;
  });
  for (const s of order) {
    const base = rowOf[s]!;
    // a state's failure is shallower, so (breadth-first) its row is already complete
    if (s !== 0) dense.set(dense.subarray(rowOf[fail[s]!]!, rowOf[fail[s]!]! + classes), base);
    for (const [cls, t] of children[s]!) dense[base + cls] = t;
  }
  return { dense, rowOf };
}

/** A full DFA may take this many bytes (beyond it, scans use the dense rows and children). */
const DFA_BYTES = 64 * 1024 * 1024;

/** The complete transition table, states renumbered so that those with literals come last. */
function fullDfa(
  bfs: number[],
  children: [number, number][][],
  fail: Int32Array,
  out: (number[] | undefined)[],
  onlyGate: number[],
  classes: number,
  states: number,
  dfaBytes: number,
): { table: Int32Array; outFrom: number } {
  // one column per class and, past them, the state's number in the sparse fields (or, for a
  // state where only gates of one payload end, -1 - that payload)
  const stride = classes + 1;
  if (states * stride * 4 > dfaBytes) return { table: new Int32Array(0), outFrom: 0 };
  const order = [0, ...bfs];
  const renumber = new Int32Array(states);
  let n = 0;
  for (const s of order) if (!out[s]) renumber[s] = n++;
  const outFrom = n * stride;
  for (const s of order) if (out[s]) renumber[s] = n++;
  const table = new Int32Array(states * stride);
  for (const s of order) {
    const base = renumber[s]! * stride;
    // a state's failure is shallower, so (breadth-first) its row is already complete
    if (s !== 0) {
      const from = renumber[fail[s]!]! * stride;
      table.copyWithin(base, from, from + classes);
    }
    for (const [cls, t] of children[s]!) table[base + cls] = renumber[t]! * stride;
    table[base + classes] = onlyGate[s]! >= 0 ? -1 - onlyGate[s]! : s;
  }
  return { table, outFrom };
}

const step = (next: Map<number, number>, classes: number, s: number, cls: number) =>
  next.get(s * classes + cls);

/**
 * Scans `codes[0..len)` and appends every hit that respects its literal's word boundaries to
 * `sink` (gate literals only set their flag). Letters, digits and `_` count as word units, so a
 * term never matches inside a handle such as @best_klad_bot.
 */
export function scanUnits(a: Automaton, codes: Uint16Array, len: number, sink: HitSink): void {
  if (a.table.length) {
    scanTable(a, codes, len, sink);
    return;
  }
  const { classOf, dense, info, childStart, childClass, childTo, fail, outStart, outList, litPayload } = a;
  const flags = sink.flags;
  const root = info[0]!;
  let s = 0;
  let inf = root;
  for (let i = 0; i < len; i++) {
    const cls = classOf[codes[i]!]!;
    if (cls === 0) {
      s = 0;
      inf = root;
      continue;
    }
    for (;;) {
      if (inf >= 4) {
        s = dense[(inf >> 2) - 1 + cls]!;
        break;
      }
      let t = -1;
      for (let k = childStart[s]!, e = childStart[s + 1]!; k < e; k++) {
        if (childClass[k] === cls) {
          t = childTo[k]!;
          break;
        }
      }
      if (t >= 0) {
        s = t;
        break;
      }
      s = fail[s]!;
      inf = info[s]!;
    }
    inf = info[s]!;
    if ((inf & 1) === 0) continue;
    if ((inf & 2) !== 0) {
      // only gates end here: note them, no boundaries to check
      for (let o = outStart[s]!, e = outStart[s + 1]!; o < e; o++) flags[litPayload[outList[o]!]!] = 1;
    } else report(a, s, i, codes, len, sink);
  }
}

/**
 * A full DFA run along with normalization (fold-word.ts): the units it was fed produce events,
 * `events[2k]` the DFA row reached with an output and `events[2k + 1]` the unit's index, for
 * k < count; scanEvents turns them into hits once the text is final.
 */
export interface UnitScan {
  table: Int32Array;
  classOf: Uint16Array;
  outFrom: number;
  events: Int32Array;
  count: number;
}

/** A UnitScan for `a`'s full DFA, or undefined when it has none. */
export function unitScan(a: Automaton): UnitScan | undefined {
  if (!a.table.length) return undefined;
  return { table: a.table, classOf: a.classOf, outFrom: a.outFrom, events: new Int32Array(256), count: 0 };
}

/** Doubles `scan.events`, keeping what is there; returns the new array. */
export function growEvents(scan: UnitScan): Int32Array {
  const grown = new Int32Array(scan.events.length * 2);
  grown.set(scan.events);
  scan.events = grown;
  return grown;
}

/** The hits of the events `scan` recorded over `codes[0..len)` (as scanUnits would find them). */
export function scanEvents(
  a: Automaton,
  scan: UnitScan,
  codes: Uint16Array,
  len: number,
  sink: HitSink,
): void {
  const { table, classes, info, outStart, outList, litPayload } = a;
  const flags = sink.flags;
  const events = scan.events;
  for (let k = 0, e = scan.count * 2; k < e; k += 2) {
    const s = table[events[k]! + classes]!;
    if (s < 0) flags[-1 - s] = 1;
    else if ((info[s]! & 2) !== 0) {
      for (let o = outStart[s]!, end = outStart[s + 1]!; o < end; o++) flags[litPayload[outList[o]!]!] = 1;
    } else report(a, s, events[k + 1]!, codes, len, sink);
  }
}

/** `scanUnits` with the full DFA: one class and one table read per unit. */
function scanTable(a: Automaton, codes: Uint16Array, len: number, sink: HitSink): void {
  const { classOf, table, outFrom, classes, info, outStart, outList, litPayload, minUnit } = a;
  const flags = sink.flags;
  let t = 0;
  for (let i = 0; i < len; i++) {
    const c = codes[i]!;
    // a unit below every literal's (most of a text, for the emoji automaton): back to the root
    if (c < minUnit) {
      t = 0;
      continue;
    }
    t = table[t + classOf[c]!]!;
    if (t < outFrom) continue;
    const s = table[t + classes]!;
    if (s < 0) flags[-1 - s] = 1;
    else if ((info[s]! & 2) !== 0) {
      for (let o = outStart[s]!, e = outStart[s + 1]!; o < e; o++) flags[litPayload[outList[o]!]!] = 1;
    } else report(a, s, i, codes, len, sink);
  }
}

/** Records the literals ending at unit `i` in state `s`. */
function report(a: Automaton, s: number, i: number, codes: Uint16Array, len: number, sink: HitSink): void {
  const word = wordUnits();
  const { outStart, outList, litLen, litFlags, litPayload } = a;
  for (let o = outStart[s]!, e = outStart[s + 1]!; o < e; o++) {
    const index = outList[o]!;
    const flags = litFlags[index]!;
    if (flags & GATE) {
      sink.flags[litPayload[index]!] = 1;
      continue;
    }
    const start = i + 1 - litLen[index]!;
    if (flags & WORD_START && start > 0) {
      const b = codes[start - 1]!;
      if (b === 95 || word[b] === 1) continue;
    }
    let end = i + 1;
    if (flags & WORD_END) {
      if (end < len) {
        const b = codes[end]!;
        if (b === 95 || word[b] === 1) continue;
      }
    } else if (flags & STEM) {
      while (end < len && word[codes[end]!] === 1) end++;
    }
    let hits = sink.hits;
    const at = sink.count * 3;
    if (at + 3 > hits.length) {
      const grown = new Int32Array(hits.length * 2);
      grown.set(hits);
      sink.hits = hits = grown;
    }
    hits[at] = index;
    hits[at + 1] = start;
    hits[at + 2] = end;
    sink.count++;
  }
}
