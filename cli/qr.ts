/** `dozor qr`: decode the QR codes in image files, one JSON line per file. */
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { classifyPayload } from '../src/qr/classify.ts';
import { decodeImage, MAX_INPUT_BYTES } from '../src/qr/decode-image.ts';
import { action, printJson } from './run-action.ts';

export function registerQr(program: Command): void {
  program
    .command('qr')
    .description('decode QR codes in images: one JSON line per file')
    .argument('<files...>', 'image files')
    .action(
      action(async (_config, files: string[]) => {
        for (const file of files) {
          try {
            if ((await stat(file)).size > MAX_INPUT_BYTES)
              throw new Error(`larger than ${MAX_INPUT_BYTES} bytes`);
            const bytes = await readFile(file);
            const { codes } = await decodeImage(bytes);
            printJson({
              file,
              codes: codes.map((c) => ({ text: c.text, kind: classifyPayload(c.text).kind })),
            });
          } catch (err) {
            const message =
              (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
            printJson({ file, error: message });
            process.stderr.write(`dozor: ${file}: ${message}\n`);
            process.exitCode = 1;
          }
        }
      }),
    );
}
