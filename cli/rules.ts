/** `dozor rules`: list, show, test, lint, backtest (with --compare), add, enable, disable, import, export. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../src/config/config.ts';
import { DozorError } from '../src/config/errors.ts';
import { backtest, compareOutcomes, type Labelled } from '../src/detect/backtest.ts';
import { formatReport } from '../src/detect/backtest-report.ts';
import { lintPack } from '../src/detect/lint.ts';
import { loadRulePack } from '../src/detect/load-rules.ts';
import {
  addRules,
  changePack,
  exportPack,
  importInto,
  recordChange,
  setEnabled,
} from '../src/detect/pack-admin.ts';
import { perturb } from '../src/detect/perturb.ts';
import { scoreText } from '../src/detect/score.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { userWhoCan } from '../src/review/users.ts';
import { action, forTerminal, printJson } from './run-action.ts';

/** Where patterns already proven safe from ReDoS are remembered. */
const redosCache = (home: string) => join(home, 'cache', 'redos-safe.json');

/** Refuses a pack change unless `name` is an admin account (DESIGN §7: admins steer the rules). */
async function requireAdmin(config: Config, name: string): Promise<void> {
  const handle = await openDbFor(config);
  try {
    await userWhoCan(handle.db, name, 'admin');
  } finally {
    await handle.close();
  }
}

/** Reads labelled JSONL (`text` and `label` per line). */
function readLabelled(file: string): Labelled[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const item = JSON.parse(line) as Labelled;
      if (typeof item.text !== 'string' || !['shop', 'recruit', 'none'].includes(item.label))
        throw new Error(`${file}:${i + 1}: each line needs "text" and "label" (shop, recruit or none)`);
      return { ...item, id: String(item.id ?? i + 1) };
    });
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('rule administration');
  rules
    .command('list')
    .description('every rule: id, category, weight, enabled, file:line')
    .option('--json', 'one JSON object per rule')
    .action(
      action(async (config, opts: { json?: boolean }) => {
        const pack = loadRulePack(config.rulesDir);
        for (const r of pack.rules) {
          const row = {
            id: r.id,
            category: r.category,
            weight: r.weight,
            enabled: r.enabled !== false,
            at: `${r.file}:${r.line}`,
          };
          if (opts.json) printJson(row);
          else
            process.stdout.write(
              `${row.id}\t${row.category}\t${row.weight}\t${row.enabled ? 'on' : 'off'}\t${row.at}\n`,
            );
        }
      }),
    );
  rules
    .command('show')
    .argument('<id>')
    .description('one rule as JSON')
    .action(
      action(async (config, id: string) => {
        const rule = loadRulePack(config.rulesDir).rules.find((r) => r.id === id);
        if (!rule) throw new Error(`no rule ${id}`);
        const { regexes: _r, ...shown } = rule;
        printJson(shown);
      }),
    );
  rules
    .command('test')
    .argument('<text>')
    .description('score TEXT and show the matches')
    .action(
      action(async (config, text: string) => {
        const pack = loadRulePack(config.rulesDir);
        printJson({ ...scoreText(pack, text), rule_pack: pack.version });
      }),
    );
  rules
    .command('lint')
    .description('check the pack: YAML, fields, duplicate ids, regexes (ReDoS), embedded tests')
    .action(
      action(async (config) => {
        const { problems, pack } = lintPack(config.rulesDir, { redosCache: redosCache(config.home) });
        for (const p of problems) process.stderr.write(`${forTerminal(p.message)}\n`);
        if (problems.length) throw new Error(`${problems.length} problem(s) in ${config.rulesDir}`);
        process.stdout.write(`ok: ${pack!.rules.length} rules, version ${pack!.version}\n`);
      }),
    );
  rules
    .command('backtest')
    .description(
      'precision, recall and F1 on labelled listings; --compare shows what a candidate pack gains and loses',
    )
    .argument(
      '<file>',
      'JSONL with "text" and "label" (shop, recruit, none) per line; "lang", "split" optional',
    )
    .option('--compare <dir>', 'a candidate pack folder: what it fixes and breaks against the live pack')
    .option('--split <name>', 'only lines whose "split" is this (e.g. heldout)')
    .option(
      '--perturb',
      'also measure recall on perturbed positives (homoglyphs, zero-width, separators, emoji)',
    )
    .option('--json', 'the report as JSON')
    .action(
      action(
        async (
          config,
          file: string,
          opts: { compare?: string; split?: string; perturb?: boolean; json?: boolean },
        ) => {
          const pack = loadRulePack(config.rulesDir);
          const all = readLabelled(file);
          const items = all.filter((i) => !opts.split || i.split === opts.split);
          if (opts.split && items.length === 0) {
            const known = [...new Set(all.map((i) => i.split).filter(Boolean))].join(', ') || 'none';
            throw new DozorError(`no lines with split "${opts.split}" in ${file} (splits there: ${known})`);
          }
          const report = backtest(pack, items);
          const perturbed = opts.perturb
            ? backtest(
                pack,
                items.filter((i) => i.label !== 'none').map((i) => ({ ...i, text: perturb(i.text) })),
              )
            : undefined;
          const compare = opts.compare ? backtest(loadRulePack(opts.compare), items) : undefined;
          const diff = compare ? compareOutcomes(report.outcomes, compare.outcomes) : undefined;
          if (opts.json) {
            const { outcomes: _o, ...rest } = report;
            printJson({
              ...rest,
              perturbedRecall: perturbed?.flagged.recall,
              compare: compare && {
                flagged: compare.flagged,
                fixed: diff!.fixed.map((o) => o.item.id),
                broken: diff!.broken.map((o) => o.item.id),
              },
            });
          } else process.stdout.write(formatReport(report, perturbed, compare, diff));
        },
      ),
    );
  rules
    .command('add')
    .argument('<file>', 'a YAML file with `rules:`')
    .requiredOption('--as <user>', 'the admin making the change (see: dozor users add NAME --role admin)')
    .description('add rules (validated with the whole pack first)')
    .action(
      action(async (config, file: string, opts: { as: string }) => {
        await requireAdmin(config, opts.as);
        let ids: string[] = [];
        changePack(
          config.rulesDir,
          (copy) => {
            ids = addRules(copy, file);
          },
          redosCache(config.home),
        );
        recordChange(config.rulesDir, opts.as, 'add', {
          rules: ids,
          version: loadRulePack(config.rulesDir).version,
        });
        process.stdout.write(`added ${ids.join(', ')}\n`);
      }),
    );
  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    rules
      .command(name)
      .argument('<id>')
      .requiredOption('--as <user>', 'the admin making the change (see: dozor users add NAME --role admin)')
      .description(`${name} a rule`)
      .action(
        action(async (config, id: string, opts: { as: string }) => {
          await requireAdmin(config, opts.as);
          changePack(config.rulesDir, (copy) => setEnabled(copy, id, enabled), redosCache(config.home));
          recordChange(config.rulesDir, opts.as, name, {
            rule: id,
            version: loadRulePack(config.rulesDir).version,
          });
          process.stdout.write(`${name}d ${id}\n`);
        }),
      );
  }
  rules
    .command('import')
    .argument('<dir>')
    .requiredOption('--as <user>', 'the admin making the change (see: dozor users add NAME --role admin)')
    .description('replace the pack with the folder DIR (validated first)')
    .action(
      action(async (config, dir: string, opts: { as: string }) => {
        await requireAdmin(config, opts.as);
        changePack(config.rulesDir, (copy) => importInto(copy, dir), redosCache(config.home));
        const version = loadRulePack(config.rulesDir).version;
        recordChange(config.rulesDir, opts.as, 'import', { from: dir, version });
        process.stdout.write(`imported ${dir}: version ${version}\n`);
      }),
    );
  rules
    .command('export')
    .argument('<dir>')
    .description('copy the pack (rules and change log) to DIR')
    .action(
      action(async (config, dir: string) => {
        const n = exportPack(config.rulesDir, dir);
        process.stdout.write(`exported ${n} files to ${dir}\n`);
      }),
    );
}
