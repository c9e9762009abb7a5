/**
 * Shared evidence across machines: machine A (its own DOZOR_HOME) crawls and captures into one
 * Postgres, machine B (another DOZOR_HOME, no local blobs) reviews, exports and verifies the packet.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { freshPostgres, runCli, tmpHome } from '../helpers.ts';

let fixtures: FixtureServer;
let pg: Awaited<ReturnType<typeof freshPostgres>>;
beforeAll(async () => {
  fixtures = await startFixtureServer();
  pg = await freshPostgres();
});
afterAll(async () => {
  await fixtures?.close();
  await pg?.drop();
});

describe('a packet exported on one machine', () => {
  it('verifies with artifacts captured on another', async () => {
    const [homeA, homeB] = [tmpHome(), tmpHome()];
    const on = (home: string) => ({
      DOZOR_HOME: home,
      DATABASE_URL: pg.url,
      DOZOR_TELEGRAM_BASE: fixtures.origin,
    });
    const crawled = await runCli(
      ['crawl', '--seed', 'https://t.me/s/almaty_shop', '--allow-private', '--depth', '0', '--json'],
      on(homeA),
    );
    expect(crawled.stderr).not.toMatch(/error/i);
    expect(JSON.parse(crawled.stdout).bundles).toBeGreaterThan(0);

    const b = on(homeB);
    for (const [name, role] of [
      ['anna', 'volunteer'],
      ['boris', 'volunteer'],
      ['lena', 'liaison'],
    ]) {
      expect((await runCli(['users', 'add', name!, '--role', role!], b)).code).toBe(0);
    }
    const listed = await runCli(['bundles', 'list', '--json'], b);
    const id = JSON.parse(listed.stdout.trim().split('\n')[0]!).id as string;
    for (const reviewer of ['anna', 'boris']) {
      expect((await runCli(['review', id, 'confirm', '--as', reviewer], b)).code).toBe(0);
    }
    const packet = join(homeB, 'packet.zip');
    const exported = await runCli(['export', '--out', packet, '--as', 'lena'], b);
    expect(exported.stderr).toMatch(/^packet [0-9a-f-]{36}: 1 bundle\(s\)/);
    expect(exported.code).toBe(0);
    // machine B never held the captured bytes itself: they came from Postgres
    expect(readdirSync(homeB)).not.toContain('blobs');
    const verified = await runCli(['verify', packet], b);
    expect(verified.code).toBe(0);
  });
});
