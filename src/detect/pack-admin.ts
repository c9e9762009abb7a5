/**
 * Changing a pack folder safely: every change is validated on a copy (structure, regexes, ReDoS,
 * embedded tests) before it replaces the live files, so a bad change leaves the previous pack in
 * force; each change is appended with its author to `changes.jsonl` in the pack (not hashed into
 * the version, which covers rules only).
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import { lintPack } from './lint.ts';
import { yamlFiles } from './pack-files.ts';
import { RuleError } from './rule-types.ts';

/** The file recording who changed what. */
export const CHANGES_FILE = 'changes.jsonl';

/** Appends a change record to the pack's log. */
export function recordChange(
  dir: string,
  actor: string,
  action: string,
  data: Record<string, unknown>,
): void {
  appendFileSync(
    join(dir, CHANGES_FILE),
    `${JSON.stringify({ at: new Date().toISOString(), actor, action, ...data })}\n`,
  );
}

/** Applies `edit` to a copy of the pack, lints the copy, then copies it in; throws the first problem. */
export function changePack(dir: string, edit: (copy: string) => void, redosCache?: string): void {
  const copy = mkdtempSync(join(dirname(dir), '.rules-new-'));
  try {
    cpSync(dir, copy, { recursive: true });
    edit(copy);
    const { problems } = lintPack(copy, { redosCache });
    if (problems.length) throw problems[0]!;
    for (const file of yamlFiles(dir)) if (!existsSync(join(copy, relative(dir, file)))) rmSync(file);
    for (const file of yamlFiles(copy)) {
      mkdirSync(dirname(join(dir, relative(copy, file))), { recursive: true });
      cpSync(file, join(dir, relative(copy, file)));
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Sets `enabled` on rule `id` (in place in its file, comments kept). */
export function setEnabled(dir: string, id: string, enabled: boolean): void {
  for (const file of yamlFiles(dir)) {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const seq = doc.get('rules', true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (isMap(item) && item.get('id') === id) {
        if (enabled) item.delete('enabled');
        else item.set('enabled', false);
        writeFileSync(file, doc.toString());
        return;
      }
    }
  }
  throw new RuleError('missing', dir, `no rule ${id}`);
}

/** Appends the rules of YAML file `source` to `<lang>/added.yaml` in the pack. */
export function addRules(dir: string, source: string): string[] {
  const doc = parseDocument(readFileSync(source, 'utf8'));
  if (doc.errors.length)
    throw new RuleError(
      'yaml',
      `${source}:${doc.errors[0]!.linePos?.[0]?.line ?? 1}`,
      doc.errors[0]!.message.split('\n')[0]!,
    );
  const rules = (doc.toJS() as { rules?: Record<string, unknown>[] } | null)?.rules;
  if (!Array.isArray(rules) || rules.length === 0)
    throw new RuleError('shape', source, 'expected a top-level `rules:` list');
  for (const rule of rules) {
    const lang = typeof rule.id === 'string' ? rule.id.slice(0, 2) : 'xx';
    const target = join(dir, lang, 'added.yaml');
    const existing = existsSync(target)
      ? parseDocument(readFileSync(target, 'utf8'))
      : new Document({ rules: [] });
    const seq = existing.get('rules', true);
    if (!isSeq(seq)) throw new RuleError('shape', target, 'expected a top-level `rules:` list');
    seq.flow = false; // block style, one key per line, so locations point at the rule
    seq.add(existing.createNode(rule));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, existing.toString());
  }
  return rules.map((r) => String(r.id));
}

/** Replaces the pack's rule files with those of `source` (validated first by the caller's changePack). */
export function importInto(copy: string, source: string): void {
  for (const file of yamlFiles(copy)) rmSync(file);
  for (const file of yamlFiles(source)) {
    const target = join(copy, relative(source, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}

/** Copies the pack's files (rules and change log) to `target`, which must not exist or be empty. */
export function exportPack(dir: string, target: string): number {
  if (existsSync(target) && readdirSync(target).length)
    throw new RuleError('exists', target, 'export folder is not empty');
  const files = yamlFiles(dir);
  for (const file of files) {
    mkdirSync(dirname(join(target, relative(dir, file))), { recursive: true });
    cpSync(file, join(target, relative(dir, file)));
  }
  if (existsSync(join(dir, CHANGES_FILE))) cpSync(join(dir, CHANGES_FILE), join(target, CHANGES_FILE));
  return files.length;
}
