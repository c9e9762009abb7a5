import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPack } from '../../src/detect/lint.ts';
import { loadRulePack, reloadRulePack } from '../../src/detect/load-rules.ts';
import { runEmbeddedTests } from '../../src/detect/rule-tests.ts';
import { RuleError } from '../../src/detect/rule-types.ts';
import { root } from '../helpers.ts';

/** A pack folder holding one file with `yaml`. */
function packWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dozor-rules-'));
  writeFileSync(join(dir, 'r.yaml'), yaml);
  return dir;
}

describe('the starter rule pack', () => {
  const pack = loadRulePack(`${root}/rules`);

  it('has a stable version hash and reads its threshold', () => {
    expect(pack.version).toMatch(/^[0-9a-f]{16}$/);
    expect(loadRulePack(`${root}/rules`).version).toBe(pack.version);
    expect(pack.threshold).toBe(5);
  });

  it('passes every embedded rule test', () => {
    expect(runEmbeddedTests(pack)).toEqual([]);
  });

  it('the embedded-test runner reports a rule that over-matches', () => {
    const broken = loadRulePack(
      packWith(
        'rules:\n  - {id: ru.x.y, category: payment, weight: 1, terms: [крипт*], tests: {no_match: [криптовалюта]}}\n',
      ),
    );
    expect(runEmbeddedTests(broken)).toEqual([
      { rule: 'ru.x.y', file: 'r.yaml', line: 2, expected: 'no_match', text: 'криптовалюта' },
    ]);
  });
});

describe('lint', () => {
  it('passes on the shipped pack, ReDoS included', () => {
    expect(lintPack(`${root}/rules`).problems.map((p) => p.message)).toEqual([]);
  }, 60_000);
  it('reports a catastrophic-backtracking regex with file:line', () => {
    const dir = packWith('rules:\n  - {id: ru.x.y, category: substance, weight: 1, patterns: ["(a+)+b"]}\n');
    expect(lintPack(dir).problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^r\.yaml:2: .*backtrack/),
    ]);
  }, 60_000);
});

describe('rule pack errors name their location', () => {
  const load = (yaml: string) => () => loadRulePack(packWith(yaml));

  it('bad YAML', () => {
    expect(load('rules:\n  - id: [unclosed\n')).toThrow(/r\.yaml:\d+/);
  });
  it('unknown field', () => {
    expect(
      load('rules:\n  - {id: ru.x.y, category: substance, weight: 1, terms: [a], colour: red}\n'),
    ).toThrow(/r\.yaml:2: unknown field "colour"/);
  });
  it('invalid regex', () => {
    expect(
      load('rules:\n  - {id: ru.x.y, category: substance, weight: 1, patterns: ["(unclosed"]}\n'),
    ).toThrow(RuleError);
  });
  it('duplicate ids', () => {
    const rule = '  - {id: ru.x.y, category: substance, weight: 1, terms: [a]}\n';
    expect(load(`rules:\n${rule}${rule}`)).toThrow(/duplicate rule id ru\.x\.y/);
  });
  it('unknown category', () => {
    expect(load('rules:\n  - {id: ru.x.y, category: gossip, weight: 1, terms: [a]}\n')).toThrow(
      /unknown category/,
    );
  });
});

describe('reloading', () => {
  it('keeps the previous pack in force when the folder now holds a bad file', () => {
    const previous = loadRulePack(`${root}/rules`);
    const r = reloadRulePack(
      packWith('rules:\n  - {id: ru.x.y, category: substance, weight: 1, patterns: ["(x"]}\n'),
      previous,
    );
    expect(r.pack).toBe(previous);
    expect(r.error).toBeInstanceOf(RuleError);
    expect(r.error!.message).toMatch(/^r\.yaml:2: invalid pattern in ru\.x\.y/);
  });
});
