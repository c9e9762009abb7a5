/**
 * Reads a rule pack folder: every `*.yaml` file holds `rules:`; `pack.yaml` at the top holds the
 * settings (threshold, verdict conditions, channel policy). Collects every problem with its
 * `file:line` instead of stopping at the first, so `rules lint` can list them all.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { sha256 } from '../capture/hash.ts';
import { VALIDATORS } from './crypto-address.ts';
import {
  LANGUAGES,
  NEGATIVE_CATEGORIES,
  POSITIVE_CATEGORIES,
  RuleError,
  type RuleSource,
} from './rule-types.ts';

const KNOWN_FIELDS = new Set([
  'id',
  'category',
  'weight',
  'description',
  'terms',
  'translit',
  'patterns',
  'atoms',
  'validate',
  'enabled',
  'tests',
]);
const TEST_FIELDS = new Set(['match', 'no_match']);
const PACK_FIELDS = new Set(['threshold', 'verdicts', 'channel', 'rules']);
const CATEGORIES = new Set<string>([...POSITIVE_CATEGORIES, ...NEGATIVE_CATEGORIES]);
const LANGS = new Set<string>(LANGUAGES);

/** A rule read from a file, with where it was written. */
export interface LocatedRule extends RuleSource {
  file: string;
  line: number;
}

/** Everything read from a pack folder. */
export interface PackFiles {
  rules: LocatedRule[];
  /** The contents of `pack.yaml` (settings), or {} without one. */
  settings: Record<string, unknown>;
  /** SHA-256 over every file (path and content), first 16 hex digits. */
  version: string;
  problems: RuleError[];
}

/** Every `*.yaml` file under `dir`, sorted; throws RuleError when the folder cannot be read. */
export function yamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new RuleError('missing', dir, `cannot read the rule pack folder: ${(err as Error).message}`);
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Reads and checks every file of the pack in `dir`. */
export function readPackFiles(dir: string): PackFiles {
  const files = yamlFiles(dir);
  const problems: RuleError[] = [];
  if (files.length === 0)
    problems.push(new RuleError('empty', dir, 'no rule files (*.yaml) in the rule pack folder'));
  const rules: LocatedRule[] = [];
  const seen = new Map<string, string>();
  const hashes: string[] = [];
  let settings: Record<string, unknown> = {};
  for (const file of files) {
    const rel = relative(dir, file);
    const source = readFileSync(file, 'utf8');
    hashes.push(`${rel}\0${sha256(source)}`);
    const lc = new LineCounter();
    const doc = parseDocument(source, { lineCounter: lc, uniqueKeys: true });
    if (doc.errors.length) {
      for (const e of doc.errors)
        problems.push(
          new RuleError('yaml', `${rel}:${e.linePos?.[0]?.line ?? 1}`, e.message.split('\n')[0]!),
        );
      continue;
    }
    const lineOf = (offset: number | undefined) => lc.linePos(offset ?? 0).line;
    const data = doc.toJS() as Record<string, unknown> | null;
    if (rel === 'pack.yaml') {
      settings = data ?? {};
      for (const key of Object.keys(settings))
        if (!PACK_FIELDS.has(key))
          problems.push(new RuleError('unknown_field', `${rel}:1`, `unknown pack setting "${key}"`));
      if (!Array.isArray(settings.rules)) continue;
    }
    const seq = doc.get('rules', true);
    if (!data || !Array.isArray(data.rules) || !isSeq(seq)) {
      problems.push(new RuleError('shape', `${rel}:1`, 'expected a top-level `rules:` list'));
      continue;
    }
    for (const [index, raw] of data.rules.entries()) {
      const node = seq.items[index];
      const where = `${rel}:${lineOf(isMap(node) ? node.range?.[0] : undefined)}`;
      const problem = checkRule(
        raw,
        where,
        isMap(node) ? (key: string) => lineOf(keyRange(node, key)) : undefined,
      );
      if (problem) {
        problems.push(problem);
        continue;
      }
      const rule = raw as RuleSource;
      const other = seen.get(rule.id);
      if (other) {
        problems.push(new RuleError('duplicate', where, `duplicate rule id ${rule.id} (also at ${other})`));
        continue;
      }
      seen.set(rule.id, where);
      rules.push({ ...rule, file: rel, line: Number(where.split(':').pop()) });
    }
  }
  return { rules, settings, version: sha256(hashes.sort().join('\n')).slice(0, 16), problems };
}

function keyRange(node: { items: unknown[] }, key: string): number | undefined {
  for (const pair of node.items as { key?: { value?: unknown; range?: number[] } }[]) {
    if (pair.key?.value === key) return pair.key.range?.[0];
  }
  return undefined;
}

/** The first problem with one rule, or undefined. */
function checkRule(raw: unknown, where: string, lineOfKey?: (key: string) => number): RuleError | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return new RuleError('shape', where, 'a rule must be a mapping');
  const r = raw as Record<string, unknown>;
  const at = (key: string) => (lineOfKey ? `${where.split(':')[0]}:${lineOfKey(key)}` : where);
  for (const key of Object.keys(r)) {
    if (!KNOWN_FIELDS.has(key)) return new RuleError('unknown_field', at(key), `unknown field "${key}"`);
  }
  if (typeof r.id !== 'string' || !/^[a-z]{2}\.[a-z-]+\.[a-z0-9-]+$/.test(r.id))
    return new RuleError('id', where, `id must look like lang.category.name, got ${JSON.stringify(r.id)}`);
  if (!LANGS.has(r.id.slice(0, 2)))
    return new RuleError(
      'id',
      where,
      `unknown language "${r.id.slice(0, 2)}" (one of ${[...LANGS].join(', ')})`,
    );
  if (typeof r.category !== 'string' || !CATEGORIES.has(r.category))
    return new RuleError('category', at('category'), `unknown category ${JSON.stringify(r.category)}`);
  if (typeof r.weight !== 'number' || !Number.isFinite(r.weight))
    return new RuleError('weight', at('weight'), 'weight must be a number');
  for (const key of ['enabled', 'translit'])
    if (r[key] !== undefined && typeof r[key] !== 'boolean')
      return new RuleError('shape', at(key), `${key} must be true or false`);
  if (r.validate !== undefined && !(typeof r.validate === 'string' && r.validate in VALIDATORS))
    return new RuleError(
      'shape',
      at('validate'),
      `validate must be one of ${Object.keys(VALIDATORS).join(', ')}`,
    );
  for (const key of ['terms', 'patterns', 'atoms']) {
    const list = r[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || t.trim() === ''))
      return new RuleError('shape', at(key), `${key} must be a list of non-empty strings`);
  }
  if (!(r.terms as unknown[] | undefined)?.length && !(r.patterns as unknown[] | undefined)?.length)
    return new RuleError('empty', where, `${r.id} has no terms or patterns`);
  if (r.tests !== undefined) {
    const t = r.tests as Record<string, unknown>;
    if (!t || typeof t !== 'object') return new RuleError('shape', at('tests'), 'tests must be a mapping');
    for (const key of Object.keys(t)) {
      if (!TEST_FIELDS.has(key))
        return new RuleError('unknown_field', at('tests'), `unknown field "tests.${key}"`);
      if (!Array.isArray(t[key]) || (t[key] as unknown[]).some((s) => typeof s !== 'string'))
        return new RuleError('shape', at('tests'), `tests.${key} must be a list of strings`);
    }
  }
  return undefined;
}
