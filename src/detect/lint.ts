/**
 * `rules lint`: every problem of a pack folder with its `file:line`: bad YAML, unknown fields,
 * duplicate ids, invalid regexes, regexes that can backtrack catastrophically (checked by recheck),
 * and failing embedded tests. Also used to validate a pack before `add` or `import` writes it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkSync } from 'recheck';
import { sha256 } from '../capture/hash.ts';
import { compilePack } from './load-rules.ts';
import { readPackFiles } from './pack-files.ts';
import { runEmbeddedTests } from './rule-tests.ts';
import { RuleError, type RulePack } from './rule-types.ts';

/** recheck's time per pattern; a pattern it cannot decide in time fails the lint. */
const REDOS_BUDGET_MS = 30_000;

/** The result of linting: problems (any fails the lint) and the pack when it compiled. */
export interface LintResult {
  problems: RuleError[];
  pack?: RulePack;
}

/**
 * Lints the pack in `dir`. `redos: false` skips the ReDoS analysis; `redosCache` names a JSON file
 * remembering patterns already proven safe (keyed by their SHA-256), so repeated lints stay fast.
 */
export function lintPack(dir: string, opts: { redos?: boolean; redosCache?: string } = {}): LintResult {
  const files = readPackFiles(dir);
  const problems = [...files.problems];
  let pack: RulePack | undefined;
  try {
    pack = compilePack(files.rules, files.settings, files.version);
  } catch (err) {
    if (err instanceof RuleError) problems.push(err);
    else throw err;
  }
  if (!pack) return { problems };
  if (opts.redos !== false) problems.push(...redosProblems(pack, opts.redosCache));
  for (const f of runEmbeddedTests(pack)) {
    const what = f.expected === 'match' ? 'does not match' : 'matches';
    problems.push(
      new RuleError('test', `${f.file}:${f.line}`, `${f.rule} ${what} its test ${JSON.stringify(f.text)}`),
    );
  }
  return { problems, pack };
}

/** Regexes that recheck finds vulnerable (or cannot decide within its budget). */
export function redosProblems(pack: RulePack, cacheFile?: string): RuleError[] {
  const problems: RuleError[] = [];
  const safe = readCache(cacheFile);
  const before = safe.size;
  for (const rule of pack.rules) {
    for (const pattern of rule.patterns ?? []) {
      const key = sha256(`recheck-4.5\0u\0${pattern}`);
      if (safe.has(key)) continue;
      const r = checkSync(pattern, 'u', { timeout: REDOS_BUDGET_MS });
      if (r.status === 'safe') {
        safe.add(key);
        continue;
      }
      const why =
        r.status === 'vulnerable'
          ? `can backtrack catastrophically (${r.complexity.type}); attack ${JSON.stringify(r.attack.pattern)}`
          : `could not be proven safe (${r.error.kind})`;
      problems.push(
        new RuleError('redos', `${rule.file}:${rule.line}`, `${rule.id} pattern /${pattern}/ ${why}`),
      );
    }
  }
  if (cacheFile && safe.size > before) {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify([...safe]));
  }
  return problems;
}

function readCache(file?: string): Set<string> {
  if (!file || !existsSync(file)) return new Set();
  try {
    return new Set(JSON.parse(readFileSync(file, 'utf8')) as string[]);
  } catch {
    return new Set(); // a damaged cache only costs time
  }
}
