/** `dozor rules`: lint with file:line, changes recorded with their author, bad changes refused. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runCli, tmpHome } from '../helpers.ts';

/** One DOZOR_HOME for the file, so its ReDoS cache is shared by the tests. */
const home = tmpHome();

/** A private copy of the shipped pack, and the environment that points the CLI at it. */
function packCopy() {
  const dir = join(mkdtempSync(join(tmpdir(), 'dozor-rules-cli-')), 'rules');
  cpSync(`${root}/rules`, dir, { recursive: true });
  return { dir, env: { DOZOR_HOME: home, DOZOR_RULES: dir } };
}
const version = async (env: Record<string, string>) =>
  JSON.parse((await runCli(['rules', 'test', 'x'], env)).stdout).rule_pack as string;

describe('dozor rules', () => {
  beforeAll(async () => {
    const accounts: [string, string][] = [
      ['anna', 'admin'],
      ['boris', 'admin'],
      ['vera', 'volunteer'],
    ];
    for (const [name, role] of accounts)
      expect(await runCli(['users', 'add', name, '--role', role], { DOZOR_HOME: home })).toMatchObject({
        code: 0,
      });
  }, 60_000);

  it('lint passes on the shipped pack; list and show read it', async () => {
    const { env } = packCopy();
    const lint = await runCli(['rules', 'lint'], env);
    expect(lint).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^ok: \d+ rules, version [0-9a-f]{16}\n$/),
    });
    const list = await runCli(['rules', 'list', '--json'], env);
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.find((r) => r.id === 'ru.delivery.dead-drop')).toMatchObject({
      enabled: true,
      at: 'ru/delivery.yaml:2',
    });
    const show = await runCli(['rules', 'show', 'vi.substance.drugs'], env);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: 'vi.substance.drugs', category: 'substance' });
  }, 60_000);

  it('lint fails with file:line on a failing embedded test, a backtracking regex and an unknown field', async () => {
    const { dir, env } = packCopy();
    writeFileSync(
      join(dir, 'ru', 'bad.yaml'),
      [
        'rules:',
        '  - id: ru.substance.bad-test',
        '    category: substance',
        '    weight: 1',
        '    terms: [героин]',
        '    tests: {match: [кокаин]}',
        '  - id: ru.price.redos',
        '    category: price',
        '    weight: 1',
        '    patterns: ["(a|a)*b"]',
        '  - id: ru.price.colour',
        '    category: price',
        '    weight: 1',
        '    colour: red',
        '    terms: [x]',
        '',
      ].join('\n'),
    );
    const r = await runCli(['rules', 'lint'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ru\/bad\.yaml:2: ru\.substance\.bad-test does not match its test "кокаин"/);
    expect(r.stderr).toMatch(/ru\/bad\.yaml:7: ru\.price\.redos pattern .* backtrack/);
    expect(r.stderr).toMatch(/ru\/bad\.yaml:14: unknown field "colour"/);
    expect(r.stderr).toMatch(/dozor: 3 problem\(s\)/);
  }, 60_000);

  it('disable and enable are recorded with who made them and change the pack version', async () => {
    const { dir, env } = packCopy();
    const before = await version(env);
    const off = await runCli(['rules', 'disable', 'ru.substance.weak-slang', '--as', 'anna'], env);
    expect(off).toMatchObject({ code: 0, stdout: 'disabled ru.substance.weak-slang\n' });
    const rows = (await runCli(['rules', 'list', '--json'], env)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.find((r) => r.id === 'ru.substance.weak-slang').enabled).toBe(false);
    expect(await version(env)).not.toBe(before);
    await runCli(['rules', 'enable', 'ru.substance.weak-slang', '--as', 'boris'], env);
    const log = readFileSync(join(dir, 'changes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.map((e) => [e.actor, e.action, e.rule])).toEqual([
      ['anna', 'disable', 'ru.substance.weak-slang'],
      ['boris', 'enable', 'ru.substance.weak-slang'],
    ]);
    const noActor = await runCli(['rules', 'disable', 'ru.substance.weak-slang'], env);
    expect(noActor.code).toBe(2);
    // only admins change the pack; a refused change leaves the pack and its log as they were
    const pack = await version(env);
    const volunteer = await runCli(['rules', 'disable', 'ru.substance.weak-slang', '--as', 'vera'], env);
    expect([volunteer.code, volunteer.stderr]).toEqual([
      1,
      'dozor: user "vera" is a volunteer and may not admin: that needs admin\n',
    ]);
    const stranger = await runCli(['rules', 'disable', 'ru.substance.weak-slang', '--as', 'zed'], env);
    expect([stranger.code, stranger.stderr]).toEqual([
      1,
      'dozor: unknown user "zed": add one with: dozor users add zed --role volunteer\n',
    ]);
    expect(await version(env)).toBe(pack);
    expect(readFileSync(join(dir, 'changes.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 60_000);

  it('add validates first: an invalid regex is refused with its location and the pack stays as it was', async () => {
    const { dir, env } = packCopy();
    const before = await version(env);
    const bad = join(dir, '..', 'bad.yaml');
    writeFileSync(
      bad,
      'rules:\n  - {id: en.price.broken, category: price, weight: 1, patterns: ["(unclosed"]}\n',
    );
    const r = await runCli(['rules', 'add', bad, '--as', 'anna'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dozor: en\/added\.yaml:2: invalid pattern in en\.price\.broken/);
    expect(await version(env)).toBe(before);
    const good = join(dir, '..', 'good.yaml');
    writeFileSync(
      good,
      'rules:\n  - {id: en.substance.new-name, category: substance, weight: 2, terms: [zombie dust], tests: {match: [zombie dust in stock]}}\n',
    );
    expect(await runCli(['rules', 'add', good, '--as', 'anna'], env)).toMatchObject({ code: 0 });
    const test = JSON.parse((await runCli(['rules', 'test', 'zombie dust in stock'], env)).stdout);
    expect(test.matches.map((m: { rule: string }) => m.rule)).toContain('en.substance.new-name');
  }, 60_000);

  it('import refuses a broken pack (bad YAML) and keeps the previous one; export copies it', async () => {
    const { dir, env } = packCopy();
    const before = await version(env);
    const broken = mkdtempSync(join(tmpdir(), 'dozor-broken-'));
    writeFileSync(join(broken, 'a.yaml'), 'rules:\n  - id: [unclosed\n');
    const r = await runCli(['rules', 'import', broken, '--as', 'anna'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dozor: a\.yaml:\d+: /);
    expect(await version(env)).toBe(before);
    const out = join(mkdtempSync(join(tmpdir(), 'dozor-export-')), 'pack');
    expect(await runCli(['rules', 'export', out], env)).toMatchObject({ code: 0 });
    expect(readFileSync(join(out, 'pack.yaml'), 'utf8')).toBe(readFileSync(join(dir, 'pack.yaml'), 'utf8'));
    expect(await runCli(['rules', 'import', out, '--as', 'anna'], env)).toMatchObject({ code: 0 });
    expect(await version(env)).toBe(before);
  }, 60_000);

  it('backtest prints metrics, the confusion matrix and --compare differences', async () => {
    const { dir, env } = packCopy();
    const candidate = join(dir, '..', 'candidate');
    cpSync(dir, candidate, { recursive: true });
    writeFileSync(join(candidate, 'pack.yaml'), 'threshold: 9\n');
    const r = await runCli(
      [
        'rules',
        'backtest',
        `${root}/fixtures/listings/listings.jsonl`,
        '--split',
        'heldout',
        '--compare',
        candidate,
      ],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^flagged +P 1\.000 +R 1\.000/m);
    expect(r.stdout).toMatch(/confusion \(label \\ verdict\)/);
    expect(r.stdout).toMatch(/^fixed 0, broken [1-9]\d*$/m);
  }, 120_000);
});
