/** `dozor score`: JSONL listings in, JSONL scores out, same order; bad lines are reported by number. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadRulePack } from '../src/detect/load-rules.ts';
import { scoreText } from '../src/detect/score.ts';
import { action, printJson } from './run-action.ts';

export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score listings: one JSON object per line with at least "id" and "text"')
    .argument('[file]', 'JSONL file, or - for standard input', '-')
    .option('--json', 'JSONL output (the default; accepted for symmetry)')
    .action(
      action(async (config, file: string) => {
        const pack = loadRulePack(config.rulesDir);
        const input = file === '-' ? process.stdin : createReadStream(file);
        const opened = new Promise<void>((resolve, reject) => {
          if (file === '-') return resolve();
          input.once('open', () => resolve());
          input.once('error', (err: Error) => reject(new Error(`cannot read ${file}: ${err.message}`)));
        });
        await opened;
        // reading a directory fails only at the first read, with an error that names no path
        input.once('error', (err: NodeJS.ErrnoException) => {
          err.path ??= file;
        });
        let n = 0;
        let bad = 0;
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          n++;
          if (line.trim() === '') continue;
          let item: Record<string, unknown>;
          try {
            item = JSON.parse(line);
            if (!item || typeof item !== 'object' || Array.isArray(item))
              throw new Error('not a JSON object');
            if (item.id === undefined) throw new Error('missing "id"');
            if (typeof item.text !== 'string') throw new Error('"text" must be a string');
          } catch (err) {
            bad++;
            process.stderr.write(`dozor: line ${n}: ${(err as Error).message}\n`);
            continue;
          }
          const r = scoreText(pack, item.text as string);
          const { text: _text, ...rest } = item;
          printJson({
            ...rest,
            id: item.id,
            flagged: r.flagged,
            verdict: r.verdict,
            score: r.score,
            matches: r.matches,
            rule_pack: pack.version,
          });
        }
        if (bad) process.exitCode = 1;
      }),
    );
}
