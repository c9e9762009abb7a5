/**
 * The CLI's one error handler: a failure prints one line on stderr and sets exit code 1 (no stack
 * trace unless DEBUG=dozor); usage errors exit 2 (commander).
 */
import { type Config, loadConfig } from '../src/config/config.ts';

/** Wraps a command action: loads config, runs it, turns errors into one line and exit 1. */
export function action<A extends unknown[]>(fn: (config: Config, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(loadConfig(), ...args);
    } catch (err) {
      fail(err);
    }
  };
}

/** Prints an error as one line (stack with DEBUG=dozor) and sets exit code 1. */
export function fail(err: unknown): void {
  const e = err as Error;
  if (/\bdozor\b/.test(process.env.DEBUG ?? '')) process.stderr.write(`${e.stack ?? e}\n`);
  // drizzle wraps database errors as "Failed query: <sql>"; the cause says what went wrong
  const shown = /^Failed query/.test(e.message ?? '') && e.cause instanceof Error ? e.cause : e;
  const line = fileError(shown) ?? (shown.message ?? String(err)).split('\n')[0];
  process.stderr.write(`dozor: ${line}\n`);
  process.exitCode = 1;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
};

/** A file system error as "PATH: what is wrong", or undefined for other errors. */
function fileError(e: Error & { code?: string; path?: string }): string | undefined {
  const what = e.code && FILE_ERRORS[e.code];
  if (!what) return undefined;
  return e.path ? `${e.path}: ${what}` : what;
}

/** Writes one JSON value as a line on stdout. */
export const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** Scraped text made safe for a terminal: control and bidi-override characters become visible escapes. */
export function forTerminal(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
