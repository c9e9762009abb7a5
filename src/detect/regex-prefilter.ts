/**
 * Required literals of a regex, so the scorer runs a pattern only when the text could match it:
 * from the pattern's syntax, lists of literal sets such that every match contains a literal of
 * each set (an AND of ORs, in the manner of RE2's prefilters). The sets are found by the same
 * automaton pass as the terms, so a pattern whose literals are absent costs nothing. Conservative:
 * syntax it does not model (backreferences, unknown escapes) yields no sets, and the pattern runs.
 */

/** Strings a node can match, when few and known; null otherwise. */
type Exact = Set<string> | null;

interface Info {
  exact: Exact;
  /** Sets of non-empty strings: every match contains one string of each set. */
  all: string[][];
}

const MAX_SET = 64;
const MAX_CLASS = 24;
const DIGITS = '0123456789';

class Unsupported extends Error {}

/** For the pattern `source` (flags `u`): literal sets every match contains one of each; [] when unknown. */
export function requiredLiterals(source: string): string[][] {
  try {
    const p = new Parser(source);
    const info = p.alternation();
    if (p.i < p.chars.length) return [];
    const sets = [...info.all, ...(info.exact && !info.exact.has('') ? [[...info.exact]] : [])];
    const seen = new Set<string>();
    return sets
      .map((s) => minimal([...new Set(s)]).sort())
      .filter((s) => {
        const key = s.join('\u0000');
        if (s.length === 0 || s.includes('') || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  } catch (err) {
    if (err instanceof Unsupported || err instanceof SyntaxError) return [];
    throw err;
  }
}

/** Drops strings that contain another string of the set: finding any of the rest means the same. */
function minimal(set: string[]): string[] {
  return set.filter((x) => !set.some((y) => y !== x && y !== '' && x.includes(y)));
}

const ZERO_WIDTH: Info = { exact: new Set(['']), all: [] };
const UNKNOWN: Info = { exact: null, all: [] };

function product(a: Set<string>, b: Set<string>): Exact {
  if (a.size * b.size > MAX_SET) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/** The set of a node's info that best narrows the texts (longest shortest string, then fewest). */
function best(info: Info): string[] | undefined {
  const candidates = [...info.all];
  if (info.exact && !info.exact.has('')) candidates.push([...info.exact]);
  let pick: string[] | undefined;
  let score = -1;
  for (const set of candidates) {
    const s = Math.min(...set.map((x) => x.length)) * 1000 - set.length;
    if (s > score) {
      score = s;
      pick = set;
    }
  }
  return pick;
}

class Parser {
  readonly chars: string[];
  i = 0;

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  private peek(): string | undefined {
    return this.chars[this.i];
  }

  /** a|b|c */
  alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    let exact: Exact = new Set();
    for (const b of branches) {
      if (!exact || !b.exact) exact = null;
      else for (const s of b.exact) exact.add(s);
      if (exact && exact.size > MAX_SET) exact = null;
    }
    // one set for the whole alternation: the union of each branch's best set
    const union: string[] = [];
    for (const b of branches) {
      const set = best(b);
      if (!set) return { exact, all: [] };
      union.push(...set);
    }
    return { exact, all: union.length <= MAX_SET ? [union] : [] };
  }

  /** Items one after another, up to `|` or `)`. */
  private sequence(): Info {
    const all: string[][] = [];
    let run: Exact = new Set(['']); // the exact strings of the current run of exact items
    const closeRun = () => {
      if (run && !run.has('') && run.size > 0) all.push([...run]);
      run = new Set(['']);
    };
    let exact: Exact = new Set(['']);
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      const item = this.quantified();
      all.push(...item.all);
      exact = exact && item.exact ? product(exact, item.exact) : null;
      if (item.exact) {
        const next = product(run!, item.exact);
        if (next) run = next;
        else {
          closeRun();
          run = item.exact;
        }
      } else closeRun();
    }
    closeRun();
    return { exact, all };
  }

  /** An atom and its quantifier. */
  private quantified(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    const [min, max] = q;
    if (min === 0) {
      const exact = max === 1 && atom.exact ? new Set([...atom.exact, '']) : null;
      return { exact, all: [] };
    }
    let exact: Exact = null;
    if (atom.exact && min === max) {
      exact = new Set(['']);
      for (let k = 0; k < min && exact; k++) exact = product(exact, atom.exact);
    }
    const all = [...atom.all];
    if (atom.exact && !atom.exact.has('')) all.push([...atom.exact]);
    return { exact, all };
  }

  private quantifier(): [number, number] | undefined {
    const c = this.peek();
    let q: [number, number] | undefined;
    if (c === '?') q = [0, 1];
    else if (c === '*') q = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') q = [1, Number.POSITIVE_INFINITY];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.i, this.i + 24).join(''));
      if (!m) throw new Unsupported('brace');
      this.i += m[0].length - 1;
      const min = Number(m[1]);
      q = [min, m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3])];
    }
    if (!q) return undefined;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: the same strings
    return q;
  }

  private atom(): Info {
    const c = this.chars[this.i++];
    if (c === undefined) throw new Unsupported('end');
    if (c === '(') {
      let zeroWidth = false;
      if (this.peek() === '?') {
        const rest = this.chars.slice(this.i, this.i + 3).join('');
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) {
          this.i += 2;
          zeroWidth = true;
        } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
          this.i += 3;
          zeroWidth = true;
        } else if (rest.startsWith('?<')) {
          const close = this.chars.indexOf('>', this.i);
          if (close < 0) throw new Unsupported('group name');
          this.i = close + 1;
        } else throw new Unsupported('group');
      }
      const inner = this.alternation();
      if (this.chars[this.i++] !== ')') throw new Unsupported('unclosed group');
      return zeroWidth ? ZERO_WIDTH : inner;
    }
    if (c === '[') return this.charClass();
    if (c === '^' || c === '$') return ZERO_WIDTH;
    if (c === '.') return UNKNOWN;
    if (c === '\\') return this.escape(false) ?? UNKNOWN;
    if (c === ')' || c === '|' || c === '*' || c === '+' || c === '?' || c === '{') throw new Unsupported(c);
    return { exact: new Set([c]), all: [] };
  }

  /** An escape after `\`: its characters, undefined for a large class, ZERO_WIDTH for \b \B. */
  private escape(inClass: boolean): Info | undefined {
    const c = this.chars[this.i++];
    if (c === undefined) throw new Unsupported('escape at end');
    if (c === 'd') return { exact: new Set(DIGITS), all: [] };
    if ('DwWsS'.includes(c)) return undefined;
    if (c === 'p' || c === 'P') {
      const close = this.chars.indexOf('}', this.i);
      if (this.peek() !== '{' || close < 0) throw new Unsupported('property');
      this.i = close + 1;
      return undefined;
    }
    if (c === 'b' || c === 'B') {
      if (inClass && c === 'b') return { exact: new Set(['\b']), all: [] };
      if (inClass) throw new Unsupported('\\B in class');
      return ZERO_WIDTH;
    }
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', '0': '\0' };
    if (simple[c] !== undefined) return { exact: new Set([simple[c]!]), all: [] };
    if (c === 'u' || c === 'x') {
      const hex = this.chars.slice(this.i).join('');
      const m =
        c === 'x'
          ? /^[0-9a-fA-F]{2}/.exec(hex)
          : (/^\{[0-9a-fA-F]+\}/.exec(hex) ?? /^[0-9a-fA-F]{4}/.exec(hex));
      if (!m) throw new Unsupported('hex escape');
      this.i += Array.from(m[0]).length;
      return {
        exact: new Set([String.fromCodePoint(Number.parseInt(m[0].replace(/[{}]/g, ''), 16))]),
        all: [],
      };
    }
    if (/[0-9a-zA-Z]/.test(c)) throw new Unsupported(`escape \\${c}`); // backreferences, \c, \k…
    return { exact: new Set([c]), all: [] }; // an escaped symbol stands for itself
  }

  /** `[...]`: its characters when few; negated or large classes are unknown. */
  private charClass(): Info {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const members = new Set<string>();
    let large = false;
    const one = (): string | undefined => {
      const c = this.chars[this.i++];
      if (c === undefined) throw new Unsupported('unclosed class');
      if (c !== '\\') return c;
      const e = this.escape(true);
      if (!e) {
        large = true;
        return undefined;
      }
      if (e === ZERO_WIDTH || !e.exact) throw new Unsupported('class escape');
      if (e.exact.size !== 1) {
        for (const m of e.exact) members.add(m);
        return undefined;
      }
      return [...e.exact][0]!;
    };
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new Unsupported('unclosed class');
      const lo = one();
      if (this.peek() === '-' && this.chars[this.i + 1] !== ']' && lo !== undefined) {
        this.i++;
        const hi = one();
        if (hi === undefined) throw new Unsupported('range to a class');
        const from = lo.codePointAt(0)!;
        const to = hi.codePointAt(0)!;
        if (to - from > MAX_CLASS) large = true;
        else for (let cp = from; cp <= to; cp++) members.add(String.fromCodePoint(cp));
      } else if (lo !== undefined) members.add(lo);
      if (members.size > MAX_CLASS) large = true;
    }
    this.i++; // ]
    if (negated || large) return UNKNOWN;
    return { exact: members, all: [] };
  }
}

const isWordUnit = (cp: number) => cp <= 0xffff && /[\p{L}\p{N}]/u.test(String.fromCharCode(cp));

/**
 * The length of the longest run of letters and digits every match of `source` contains (0 when
 * unknown), from its top-level sequence: `\b[13t][a-z1-9]{25,33}\b` needs a 26-unit word. A text
 * whose longest word is shorter cannot match. Groups, alternation and other syntax end a run.
 */
export function minWordRun(source: string): number {
  const chars = Array.from(source);
  let best = 0;
  let run = 0;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!;
    // inside a group: skip to its end (its content ends the run)
    if (depth > 0 || c === '(' || c === ')') {
      if (c === '\\') i++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      i++;
      run = 0;
      // the group's quantifier goes with it
      if (depth === 0 && c === ')') {
        const q = /^(\{\d+(,\d*)?\}|[?*+])\??/.exec(chars.slice(i, i + 16).join(''));
        if (q) i += Array.from(q[0]).length;
      }
      continue;
    }
    if (c === '|') return 0;
    let members: number[] | undefined; // the code points one unit of this item can be, if all are word units
    let zeroWidth = false;
    if (c === '\\') {
      const e = chars[i + 1];
      i += 2;
      if (e === undefined || 'pPuxkc'.includes(e)) return 0; // escapes with a body: not modelled
      if (e === 'b' || e === 'B') zeroWidth = true;
      else if (e === 'd') members = [48];
      // any other escape (\. \s \w, a backreference…) ends the run
    } else if (c === '^' || c === '$') {
      zeroWidth = true;
      i++;
    } else if (c === '[') {
      const close = classEnd(chars, i);
      if (close < 0) return 0;
      members = classWordMembers(chars.slice(i + 1, close));
      i = close + 1;
    } else {
      const cp = c.codePointAt(0)!;
      members = '.*+?{'.includes(c) ? undefined : [cp];
      i++;
    }
    const q = /^(\{(\d+)(,\d*)?\}|[?*+])\??/.exec(chars.slice(i, i + 16).join(''));
    const min = !q ? 1 : q[2] !== undefined ? Number(q[2]) : q[1] === '+' ? 1 : 0;
    if (q) i += Array.from(q[0]).length;
    if (zeroWidth) continue;
    if (members?.every(isWordUnit) && min > 0) {
      run += min;
      best = Math.max(best, run);
      // an item that may repeat or be absent ends the known run after its minimum
      if (q && (q[1] === '+' || q[1] === '*' || q[3] !== undefined || q[1] === '?')) run = 0;
    } else run = 0;
  }
  return best;
}

/**
 * How many ASCII digits every match of `source` holds at least (0 when unknown), from the
 * mandatory items of its top-level sequence that match only digits: `\d{4}[ -]?\d{4}` needs 8.
 * Groups and other syntax count nothing; a top-level `|` gives 0.
 */
export function minDigits(source: string): number {
  const chars = Array.from(source);
  let total = 0;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < chars.length; ) {
    const c = chars[i]!;
    // inside a group: skip to its end (its content counts nothing)
    if (depth > 0 || c === '(' || c === ')') {
      if (c === '\\') i++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      i++;
      if (depth === 0 && c === ')') {
        const q = /^(\{\d+(,\d*)?\}|[?*+])\??/.exec(chars.slice(i, i + 16).join(''));
        if (q) i += Array.from(q[0]).length;
      }
      continue;
    }
    if (c === '|') return 0;
    let digitOnly = false;
    if (c === '\\') {
      const e = chars[i + 1];
      i += 2;
      if (e === undefined || 'pPuxkc'.includes(e)) return 0; // escapes with a body: not modelled
      digitOnly = e === 'd';
    } else if (c === '[') {
      const close = classEnd(chars, i);
      if (close < 0) return 0;
      const members = classWordMembers(chars.slice(i + 1, close));
      digitOnly = members !== undefined && members.length > 0 && members.every((m) => m >= 48 && m <= 57);
      i = close + 1;
    } else {
      digitOnly = c >= '0' && c <= '9';
      i++;
    }
    const q = /^(\{(\d+)(,\d*)?\}|[?*+])\??/.exec(chars.slice(i, i + 16).join(''));
    const min = !q ? 1 : q[2] !== undefined ? Number(q[2]) : q[1] === '+' ? 1 : 0;
    if (q) i += Array.from(q[0]).length;
    if (digitOnly) total += min;
  }
  return total;
}

/** Index of the `]` closing the class opened at `open`, or -1. */
function classEnd(chars: string[], open: number): number {
  for (let i = open + 1; i < chars.length; i++) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === ']') return i;
  }
  return -1;
}

/** A class body's code points when it is a plain list of letters, digits and ranges of them; else undefined. */
function classWordMembers(body: string[]): number[] | undefined {
  if (body[0] === '^' || body.length === 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    let c = body[i]!;
    if (c === '\\') {
      if (body[i + 1] !== 'd') return undefined;
      out.push(48, 57);
      i++;
      continue;
    }
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const from = c.codePointAt(0)!;
      const to = body[i + 2]!.codePointAt(0)!;
      if (body[i + 2] === '\\' || to < from || to - from > 0x400) return undefined;
      for (let cp = from; cp <= to; cp++) out.push(cp);
      i += 2;
      continue;
    }
    c = body[i]!;
    out.push(c.codePointAt(0)!);
  }
  return out;
}

/** A literal every match of a pattern holds within a few units of its start. */
export interface Lead {
  text: string;
  /** The most units a match may have before the literal. */
  maxOffset: number;
}

/** Leads further than this from the match start are not used. */
const MAX_LEAD_OFFSET = 16;

/**
 * From the top-level sequence of `source` (flags `u`): the longest run of plain literal characters
 * that every match holds at an offset of at most MAX_LEAD_OFFSET units (`@` in
 * `(?:^|\s)@[a-z]+`, at most 1), so a scan can jump from one occurrence of it to the next and try
 * the pattern only just before each. Undefined when there is none or the syntax is not modelled.
 */
export function leadLiteral(source: string): Lead | undefined {
  try {
    const p = new LeadParser(source);
    const items = p.sequence();
    if (p.i < p.chars.length) return undefined; // a top-level `|`
    let best: Lead | undefined;
    let offset = 0;
    for (let k = 0; k < items.length && offset <= MAX_LEAD_OFFSET; ) {
      if (items[k]!.literal !== undefined) {
        let text = '';
        const at = offset;
        while (k < items.length && items[k]!.literal !== undefined) {
          text += items[k]!.literal;
          offset += items[k]!.max;
          k++;
        }
        if (!best || text.length > best.text.length) best = { text, maxOffset: at };
        continue;
      }
      offset += items[k]!.max;
      k++;
    }
    return best;
  } catch (err) {
    if (err instanceof Unsupported || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** An item of a sequence: the most units it matches and, for a plain literal character, that character. */
interface LeadItem {
  max: number;
  literal?: string;
}

/** Characters that mean something outside a class. */
const SYNTAX = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

class LeadParser {
  readonly chars: string[];
  i = 0;

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  /** The most units a match of the alternation starting here can take (up to `)` or the end). */
  private alternationMax(): number {
    let max = 0;
    for (;;) {
      max = Math.max(
        max,
        this.sequence().reduce((n, it) => n + it.max, 0),
      );
      if (this.chars[this.i] !== '|') return max;
      this.i++;
    }
  }

  /** Items up to `|`, `)` or the end. */
  sequence(): LeadItem[] {
    const items: LeadItem[] = [];
    for (let c = this.chars[this.i]; c !== undefined && c !== '|' && c !== ')'; c = this.chars[this.i]) {
      const atom = this.atom();
      const q = this.quantifier();
      if (!q) items.push(atom);
      else {
        const [min, max] = q;
        // a repeated literal is a literal only at its first occurrence, and only if it must occur
        const repeated = atom.max * max;
        items.push({ max: Number.isFinite(repeated) ? repeated : Number.POSITIVE_INFINITY });
        if (min === 0) continue;
      }
    }
    return items;
  }

  private quantifier(): [number, number] | undefined {
    const c = this.chars[this.i];
    let q: [number, number] | undefined;
    if (c === '?') q = [0, 1];
    else if (c === '*') q = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') q = [1, Number.POSITIVE_INFINITY];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.i, this.i + 24).join(''));
      if (!m) throw new Unsupported('brace');
      this.i += m[0].length - 1;
      const min = Number(m[1]);
      q = [min, m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3])];
    }
    if (!q) return undefined;
    this.i++;
    if (this.chars[this.i] === '?') this.i++;
    return q;
  }

  private atom(): LeadItem {
    const c = this.chars[this.i++];
    if (c === undefined) throw new Unsupported('end');
    if (c === '(') {
      let zeroWidth = false;
      if (this.chars[this.i] === '?') {
        const rest = this.chars.slice(this.i, this.i + 3).join('');
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) {
          this.i += 2;
          zeroWidth = true;
        } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
          this.i += 3;
          zeroWidth = true;
        } else if (rest.startsWith('?<')) {
          const close = this.chars.indexOf('>', this.i);
          if (close < 0) throw new Unsupported('group name');
          this.i = close + 1;
        } else throw new Unsupported('group');
      }
      const max = this.alternationMax();
      if (this.chars[this.i++] !== ')') throw new Unsupported('unclosed group');
      return { max: zeroWidth ? 0 : max };
    }
    if (c === '[') {
      const close = classEnd(this.chars, this.i - 1);
      if (close < 0) throw new Unsupported('unclosed class');
      this.i = close + 1;
      return { max: 2 }; // a code point: up to two units
    }
    if (c === '^' || c === '$') return { max: 0 };
    if (c === '.') return { max: 2 };
    if (c === '\\') {
      const e = this.chars[this.i++];
      if (e === undefined) throw new Unsupported('escape at end');
      if (e === 'b' || e === 'B') return { max: 0 };
      if ('dDwWsS'.includes(e)) return { max: 2 };
      if (/[0-9a-zA-Z]/.test(e)) throw new Unsupported(`escape \\${e}`); // \p, \u, \k, backreferences…
      return { max: e.length, literal: e }; // an escaped symbol stands for itself
    }
    if (SYNTAX.has(c)) throw new Unsupported(c);
    const code = c.charCodeAt(0);
    // a character of the basic plane (not a surrogate) found by indexOf as it is
    if (c.length === 1 && (code < 0xd800 || code > 0xdfff)) return { max: 1, literal: c };
    return { max: c.length };
  }
}
