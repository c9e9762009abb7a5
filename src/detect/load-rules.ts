/**
 * Loads and compiles a rule pack folder: every rule's terms (and their transliterations) and atoms
 * go into one automaton; patterns become Unicode regexes gated by their atoms and by the literals
 * and word length every match needs (regex-prefilter.ts); `pack.yaml` gives the threshold, verdict
 * conditions and channel policy. Any problem throws a RuleError with its location, so a caller
 * keeps whatever pack it already had.
 */
import { DEFAULT_VERDICTS, parseVerdicts } from './conditions.ts';
import { buildAutomaton, type Literal } from './matcher.ts';
import { normalizeTerm } from './normalize.ts';
import { type LocatedRule, readPackFiles } from './pack-files.ts';
import { leadLiteral, minDigits, minWordRun, requiredLiterals } from './regex-prefilter.ts';
import { type ChannelPolicy, type CompiledRule, RuleError, type RulePack } from './rule-types.ts';
import { transliterate } from './translit.ts';

const DEFAULT_THRESHOLD = 5;

/** Loads and compiles the pack in `dir`; throws the first problem as a RuleError. */
export function loadRulePack(dir: string): RulePack {
  const files = readPackFiles(dir);
  if (files.problems.length) throw files.problems[0]!;
  return compilePack(files.rules, files.settings, files.version);
}

/**
 * Reloads the pack in `dir` for a long-running process: on any problem (bad YAML, unknown field,
 * invalid regex…) the `previous` pack stays in force and the error is returned beside it.
 */
export function reloadRulePack(dir: string, previous: RulePack): { pack: RulePack; error?: RuleError } {
  try {
    return { pack: loadRulePack(dir) };
  } catch (err) {
    if (err instanceof RuleError) return { pack: previous, error: err };
    throw err;
  }
}

/** Compiles rules and settings into a pack (throws RuleError on a bad pattern or setting). */
export function compilePack(
  located: LocatedRule[],
  settings: Record<string, unknown>,
  version: string,
): RulePack {
  const threshold = settings.threshold === undefined ? DEFAULT_THRESHOLD : Number(settings.threshold);
  if (!Number.isFinite(threshold)) throw new RuleError('shape', 'pack.yaml', 'threshold must be a number');
  const verdicts = parseVerdicts(settings.verdicts, 'pack.yaml verdicts', DEFAULT_VERDICTS);
  const channel = channelPolicy(settings.channel, threshold, verdicts);
  const rules: CompiledRule[] = located.map((r) => ({
    ...r,
    lang: r.id.slice(0, 2),
    regexes: (r.patterns ?? []).map((p) => compilePattern(p, `${r.file}:${r.line}`, r.id)),
  }));
  const literals: Literal[] = [];
  const literalRule: number[] = [];
  const literalIsAtom: number[] = [];
  const add = (text: string, rule: number, atom: boolean, stem: boolean) => {
    if (!text) return;
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(text.length - 1);
    const word = (c: number) => /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
    literals.push({
      text,
      wordStart: !atom && word(first),
      wordEnd: !atom && !stem && word(last),
      stem: !atom && stem,
      gate: atom,
      payload: rule,
    });
    literalRule.push(rule);
    literalIsAtom.push(atom ? 1 : 0);
  };
  const symbols: Literal[] = [];
  const symbolRule: number[] = [];
  rules.forEach((rule, index) => {
    for (const raw of rule.terms ?? []) {
      if (isSymbolTerm(raw)) {
        const text = raw.trim().replace(/\ufe0f/g, '');
        symbols.push({ text, wordStart: false, wordEnd: false, stem: false, payload: index });
        symbolRule.push(index);
        continue;
      }
      const stem = raw.trim().endsWith('*');
      const term = normalizeTerm(stem ? raw.trim().slice(0, -1) : raw);
      add(term, index, false, stem);
      if (rule.translit) for (const t of transliterate(term)) add(normalizeTerm(t), index, false, stem);
    }
    for (const atom of rule.atoms ?? []) add(normalizeTerm(atom) || atom, index, true, false);
  });
  // each pattern's required literal sets, as gates after the rules' own (payload = rules + set id)
  const setIds = new Map<string, number>();
  const patternGates = rules.map((rule, index) =>
    (rule.patterns ?? []).map((pattern) =>
      requiredLiterals(pattern)
        .filter(selective)
        .map((set) => {
          const key = set.join('\u0000');
          let id = setIds.get(key);
          if (id === undefined) {
            id = setIds.size;
            setIds.set(key, id);
            for (const text of set) {
              literals.push({
                text,
                wordStart: false,
                wordEnd: false,
                stem: false,
                gate: true,
                payload: rules.length + id,
              });
              literalRule.push(index);
              literalIsAtom.push(1);
            }
          }
          return rules.length + id;
        }),
    ),
  );
  return {
    version,
    rules,
    threshold,
    verdicts,
    channel,
    automaton: buildAutomaton(literals),
    patternGates,
    gateCount: rules.length + setIds.size,
    patternMinWord: rules.map((rule) => (rule.patterns ?? []).map(minWordRun)),
    patternMinDigits: rules.map((rule) => (rule.patterns ?? []).map(minDigits)),
    patternLeads: rules.map((rule) =>
      (rule.patterns ?? []).map((pattern) => {
        const lead = leadLiteral(pattern);
        return lead && { ...lead, sticky: new RegExp(pattern, 'uy') };
      }),
    ),
    literalRule: Int32Array.from(literalRule),
    literalIsAtom: Uint8Array.from(literalIsAtom),
    symbols: buildAutomaton(symbols),
    symbolRule: Int32Array.from(symbolRule),
  };
}

/**
 * A literal set worth a gate: one holding a single letter or digit passes on nearly every text and
 * would only add automaton hits.
 */
const selective = (set: string[]) => !set.some((s) => s.length === 1 && /[\p{L}\p{N}]/u.test(s));

/** A term made of emoji and pictographs only (no letters or digits). */
const isSymbolTerm = (term: string) => /\p{Extended_Pictographic}/u.test(term) && !/[\p{L}\p{N}]/u.test(term);

function compilePattern(pattern: string, where: string, id: string): RegExp {
  try {
    return new RegExp(pattern, 'gu');
  } catch (err) {
    throw new RuleError('regex', where, `invalid pattern in ${id}: ${(err as Error).message}`);
  }
}

function channelPolicy(raw: unknown, threshold: number, verdicts: RulePack['verdicts']): ChannelPolicy {
  const r = (raw ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!['window', 'min_flagged', 'threshold', 'verdicts'].includes(key))
      throw new RuleError('unknown_field', 'pack.yaml channel', `unknown channel setting "${key}"`);
  const num = (v: unknown, d: number) => (v === undefined ? d : Number(v));
  return {
    window: num(r.window, 20),
    minFlagged: num(r.min_flagged, 3),
    threshold: num(r.threshold, threshold),
    verdicts: parseVerdicts(r.verdicts, 'pack.yaml channel.verdicts', verdicts),
  };
}
