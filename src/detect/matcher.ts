/**
 * Multi-pattern matching: every term and regex atom of a pack in one Aho-Corasick automaton over
 * UTF-16 units of the normalized text, so scanning costs the same with 100 or 10 000 terms.
 * Characters that occur in no pattern share class 0 and send the automaton back to its root.
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
  payload: number;
}

/** A compiled automaton. */
export interface Automaton {
  classOf: Uint16Array;
  classes: number;
  /** Complete transition rows (failures resolved) for shallow states: `dense[rowOf[s] * classes + class]`. */
  dense: Int32Array;
  /** Each state's row in `dense`, or -1 for deeper states, which use `next` and `fail`. */
  rowOf: Int32Array;
  /** Trie transitions: key `state * classes + class`. */
  next: Map<number, number>;
  fail: Int32Array;
  /** Literals ending in each state, including those of its suffix states. */
  out: (number[] | undefined)[];
  /** 1 where `out` has literals (a cheap test in the scan loop). */
  hasOut: Uint8Array;
  /** True when every state has a dense row (no failure walks while scanning). */
  full: boolean;
  literals: Literal[];
}

/** A hit: literal index and its span in the normalized text (stems extended to the word's end). */
export interface Hit {
  literal: number;
  start: number;
  end: number;
}

/** Builds the automaton for `literals` (empty texts are ignored). */
export function buildAutomaton(literals: Literal[]): Automaton {
  const classOf = new Uint16Array(0x10000);
  let classes = 1;
  for (const l of literals) {
    for (let i = 0; i < l.text.length; i++) {
      const c = l.text.charCodeAt(i);
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
  const { dense, rowOf } = denseRows(queue, children, fail, classes, states);
  const hasOut = new Uint8Array(states);
  for (let s = 0; s < states; s++) if (out[s]) hasOut[s] = 1;
  const full = dense.length === states * classes;
  return { classOf, classes, dense, rowOf, next, fail, out, hasOut, full, literals };
}

/** Dense rows cover at most this many entries (4 bytes each). */
const DENSE_BUDGET = 4_000_000;

/** Complete rows for the root and the shallowest states (breadth-first) within the budget. */
function denseRows(
  bfs: number[],
  children: [number, number][][],
  fail: Int32Array,
  classes: number,
  states: number,
) {
  const rows = Math.max(1, Math.min(states, Math.floor(DENSE_BUDGET / classes)));
  const rowOf = new Int32Array(states).fill(-1);
  const dense = new Int32Array(rows * classes);
  const order = [0, ...bfs].slice(0, rows);
  // a complete table is indexed by state itself; a partial one by breadth-first rank
  const complete = rows === states;
  order.forEach((s, row) => {
    rowOf[s] = complete ? s : row;
  });
  for (const s of order) {
    const base = rowOf[s]! * classes;
    if (s !== 0)
      dense.set(dense.subarray(rowOf[fail[s]!]! * classes, rowOf[fail[s]!]! * classes + classes), base);
    for (const [cls, t] of children[s]!) dense[base + cls] = t;
  }
  return { dense, rowOf };
}

const step = (next: Map<number, number>, classes: number, s: number, cls: number) =>
  next.get(s * classes + cls);

/** Every hit of the automaton's literals in `text` that respects their word boundaries. */
export function scan(a: Automaton, text: string): Hit[] {
  const hits: Hit[] = [];
  const { classOf, classes, dense, rowOf, next, fail, out, hasOut, full, literals } = a;
  const word = wordUnits();
  // letters, digits and `_` (so a term never matches inside a handle such as @best_klad_bot)
  const inWord = (c: number) => c === 95 || word[c] === 1;
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    const cls = classOf[text.charCodeAt(i)]!;
    if (cls === 0) {
      s = 0;
      continue;
    }
    if (full) s = dense[s * classes + cls]!;
    else
      for (;;) {
        const row = rowOf[s]!;
        if (row >= 0) {
          s = dense[row * classes + cls]!;
          break;
        }
        const t = next.get(s * classes + cls);
        if (t !== undefined) {
          s = t;
          break;
        }
        s = fail[s]!;
      }
    if (hasOut[s] === 0) continue;
    for (const index of out[s]!) {
      const l = literals[index]!;
      const start = i + 1 - l.text.length;
      if (l.wordStart && start > 0 && inWord(text.charCodeAt(start - 1))) continue;
      let end = i + 1;
      if (l.wordEnd) {
        if (end < text.length && inWord(text.charCodeAt(end))) continue;
      } else if (l.stem) {
        while (end < text.length && word[text.charCodeAt(end)] === 1) end++;
      }
      hits.push({ literal: index, start, end });
    }
  }
  return hits;
}
