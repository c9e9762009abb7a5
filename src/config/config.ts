/**
 * One table of settings: each has a type, a default and an environment variable. Flags override
 * the environment at the CLI's edge; nothing here is read at import time.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Resolved settings for one run. */
export interface Config {
  /** State folder: PGlite data, blobs, keys. @default ~/.dozor */
  home: string;
  /** Postgres URL; PGlite under `home` when unset. */
  databaseUrl?: string;
  /** Redis URL; the in-process runner when unset. */
  redisUrl?: string;
  /** Browser used for screenshots and PDF reports. @default /usr/bin/chromium */
  chromium?: string;
  /** Allow fetching loopback and private addresses (tests, the demo). @default false */
  allowPrivate: boolean;
  /** Ed25519 signing key file (PEM). @default <home>/keys/signing-ed25519.pem */
  signingKey: string;
  /** Where Telegram channel previews are fetched from (a mirror in tests). @default https://t.me */
  telegramBase: string;
  /** Rule pack folder. @default <repo>/rules */
  rulesDir: string;
  /** Distinct confirmations that make a bundle confirmed. @default 2 */
  confirmations: number;
  /** User-Agent sent by the fetcher. */
  userAgent: string;
  /** Requests in flight per host. Env DOZOR_HOST_CONCURRENCY. @default 2 */
  hostConcurrency?: number;
  /** Minimum ms between request starts to one host. Env DOZOR_HOST_DELAY_MS. @default 250 */
  hostDelayMs?: number;
  /** Private addresses or CIDR ranges allowed without allowing all (comma list). Env DOZOR_ALLOW_ADDRESSES. */
  allowAddresses?: string[];
  /**
   * What happens to sources discovered through links and QR codes: `crawl` them in the same run, or
   * `approve` (they wait, listed as pending, until `dozor sources approve ID`). Env DOZOR_DISCOVERED.
   * @default crawl
   */
  discovered: 'crawl' | 'approve';
}

/** The repository root (where rules/ and fixtures/ live). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

/** Reads the settings from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const home = resolve(env.DOZOR_HOME || join(homedir(), '.dozor'));
  const confirmations = Number(env.DOZOR_CONFIRMATIONS ?? 2);
  if (!Number.isInteger(confirmations) || confirmations < 1) {
    throw new Error(`DOZOR_CONFIRMATIONS must be a whole number ≥ 1, got "${env.DOZOR_CONFIRMATIONS}"`);
  }
  const discovered = env.DOZOR_DISCOVERED || 'crawl';
  if (discovered !== 'crawl' && discovered !== 'approve') {
    throw new Error(`DOZOR_DISCOVERED must be "crawl" or "approve", got "${discovered}"`);
  }
  return {
    home,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    chromium: env.DOZOR_CHROMIUM || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    allowPrivate: truthy(env.DOZOR_ALLOW_PRIVATE),
    signingKey: env.DOZOR_SIGNING_KEY || join(home, 'keys', 'signing-ed25519.pem'),
    telegramBase: (env.DOZOR_TELEGRAM_BASE || 'https://t.me').replace(/\/+$/, ''),
    rulesDir: env.DOZOR_RULES || join(repoRoot, 'rules'),
    confirmations,
    userAgent: env.DOZOR_USER_AGENT || 'Dozor/0.1 (+https://github.com/dozor-project/dozor)',
    hostConcurrency: positiveInt(env, 'DOZOR_HOST_CONCURRENCY', 2, 1),
    hostDelayMs: positiveInt(env, 'DOZOR_HOST_DELAY_MS', 250, 0),
    allowAddresses: (env.DOZOR_ALLOW_ADDRESSES ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    discovered,
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
}
