/** `dozor verify FILE.zip`: exit 0 only if every hash, the custody chains and the signature hold. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyPacket } from '../src/export/verify.ts';
import { action, printJson } from './run-action.ts';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify an evidence packet: hashes, custody chain and signature')
    .argument('<file>', 'packet ZIP')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (_config, file: string, flags: { json?: boolean }) => {
        const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
          throw new Error(
            err.code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${err.message}`,
          );
        });
        let r: Awaited<ReturnType<typeof verifyPacket>>;
        try {
          r = await verifyPacket(bytes);
        } catch (err) {
          throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
        }
        if (flags.json) printJson(r);
        if (r.ok) {
          if (!flags.json)
            process.stdout.write(
              `OK ${file}: ${r.bundles} bundle(s), signed by key SHA-256 ${r.fingerprint}\n`,
            );
          return;
        }
        for (const p of r.problems) process.stderr.write(`${file}: ${p}\n`);
        process.stderr.write(`dozor: ${file} FAILED verification (${r.problems.length} problem(s))\n`);
        process.exitCode = 1;
      }),
    );
}
