/** Dozor's version, from package.json, recorded in every bundle and packet. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './config.ts';

let cached: string | undefined;

/** The installed Dozor version, e.g. `0.1.0`. */
export function dozorVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  return cached;
}
