/** The shapes of rules, as written in YAML and as compiled. */
import type { Automaton } from './matcher.ts';

/** Categories that add to a verdict, and those that count against it. */
export const POSITIVE_CATEGORIES = [
  'substance',
  'delivery',
  'contact',
  'payment',
  'price',
  'recruitment',
] as const;
export const NEGATIVE_CATEGORIES = ['news', 'treatment', 'prevention', 'legitimate'] as const;
export type Category = (typeof POSITIVE_CATEGORIES)[number] | (typeof NEGATIVE_CATEGORIES)[number];
/** Languages a rule id may start with (`xx` = any language). */
export const LANGUAGES = ['ru', 'kk', 'vi', 'en', 'uz', 'xx'] as const;

/** A rule as written in a pack file. */
export interface RuleSource {
  id: string;
  category: Category;
  weight: number;
  description?: string;
  /** Terms matched on normalized text at word boundaries; a trailing `*` lets the word go on. */
  terms?: string[];
  /** Also match the Latin transliterations of the (Cyrillic) terms: закладк* → zakladk*. */
  translit?: boolean;
  /** Regular expressions (Unicode) matched on normalized, lower-cased text. */
  patterns?: string[];
  /** Literals one of which must occur for `patterns` to be tried (found by the automaton). */
  atoms?: string[];
  /** A check the original text of each pattern hit must pass (`crypto-address`: checksums). */
  validate?: string;
  enabled?: boolean;
  tests?: { match?: string[]; no_match?: string[] };
}

/** A rule ready to scan. */
export interface CompiledRule extends RuleSource {
  /** The pack file holding it, relative to the pack folder, and its line there. */
  file: string;
  line: number;
  lang: string;
  /** Compiled `patterns` (flags `gu`), run only when an atom (or, without atoms, always) is present. */
  regexes: RegExp[];
}

/** A counting condition such as `substance >= 1 and 1 of (delivery, contact)`, parsed. */
export type Clause =
  | { kind: 'count'; categories: string[]; min: number }
  | { kind: 'of'; categories: string[]; min: number };
/** A condition: all its clauses hold. */
export interface Condition {
  source: string;
  clauses: Clause[];
}
/** For each verdict, alternatives of which one must hold. */
export interface VerdictConditions {
  shop: Condition[];
  recruit: Condition[];
}

/** How a channel's recent history lowers the bar for its posts. */
export interface ChannelPolicy {
  /** How many of the source's most recent scored posts to look at. */
  window: number;
  /** Flagged posts among them that make a channel a known shop channel. */
  minFlagged: number;
  /** Threshold and conditions for posts in a known shop channel. */
  threshold: number;
  verdicts: VerdictConditions;
}

/** The compiled, immutable rule pack. */
export interface RulePack {
  /** SHA-256 over the pack's files: recorded on every detection. */
  version: string;
  rules: CompiledRule[];
  /** Minimum score for a verdict to be flagged. */
  threshold: number;
  verdicts: VerdictConditions;
  channel: ChannelPolicy;
  /** One automaton over every enabled rule's terms and atoms. */
  automaton: Automaton;
  /** For each automaton literal: the rule index and whether it is an atom (gate for patterns). */
  literalRule: Int32Array;
  literalIsAtom: Uint8Array;
  /**
   * Per rule and pattern: gate flags (automaton payloads) that must all be set for the pattern to
   * run, one per set of its required literals (regex-prefilter.ts); `gateCount` payloads in all.
   */
  patternGates: number[][][];
  gateCount: number;
  /** Per rule and pattern: the word length a text needs for the pattern to match (regex-prefilter.ts). */
  patternMinWord: number[][];
  /** Per rule and pattern: the ASCII digits a text needs for the pattern to match (regex-prefilter.ts). */
  patternMinDigits: number[][];
  /**
   * Per rule and pattern: a literal every match holds near its start (regex-prefilter.ts) and the
   * pattern compiled sticky (flags `uy`), so a scan tries it only just before each occurrence.
   */
  patternLeads: ({ text: string; maxOffset: number; sticky: RegExp } | undefined)[][];
  /** Emoji terms, matched on the original text (normalization turns emoji into spaces). */
  symbols: Automaton;
  symbolRule: Int32Array;
}

/** A rule-pack problem with its location (`file:line` or a folder). */
export class RuleError extends Error {
  override name = 'RuleError';
  constructor(
    readonly code: string,
    readonly location: string,
    message: string,
  ) {
    super(`${location}: ${message}`);
  }
}
