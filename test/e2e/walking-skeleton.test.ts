/**
 * The walking skeleton's acceptance test: the fixtures are served on 127.0.0.1, crawled through
 * every stage with the CLI (PGlite, in-process runner, Debian's Chromium), reviewed, exported as a
 * signed packet and verified; a packet with one changed byte fails verification.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { unzipSync, zipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { artifacts, bundles, detections, listings, sources } from '../../db/schema.ts';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { fileBlobStore } from '../../src/capture/blobs.ts';
import { sha256 } from '../../src/capture/hash.ts';
import { createConsole } from '../../src/web/app.ts';
import { runCli, tmpHome } from '../helpers.ts';

const SHOP_POSTS = [
  'https://t.me/almaty_shop/102',
  'https://t.me/almaty_shop/103',
  'https://t.me/almaty_shop/106',
  'https://t.me/hidden_stash/8',
  'https://t.me/hidden_stash/9',
];

let fixtures: FixtureServer;
let home: string;
let env: Record<string, string>;
let ids: string[] = [];

beforeAll(async () => {
  fixtures = await startFixtureServer();
  home = tmpHome();
  env = { DOZOR_HOME: home, DOZOR_TELEGRAM_BASE: fixtures.origin };
});
afterAll(() => fixtures.close());

/** Opens the crawl's PGlite database in this process (the CLI must not be running). */
async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDb>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDb({ dir: join(home, 'db') });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

describe('crawl → QR → score → capture', () => {
  it('crawls the fixtures and prints the summary', async () => {
    const seeds = [
      'https://t.me/s/almaty_shop',
      `${fixtures.origin}/shop/`,
      `${fixtures.origin}/news/operation.html`,
    ];
    const r = await runCli(
      ['crawl', ...seeds.flatMap((s) => ['--seed', s]), '--allow-private', '--json'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ pages: 5, codes: 1, flagged: 6, bundles: 6, errors: 0 });
    expect(Object.keys(summary).sort()).toEqual(
      ['bundles', 'codes', 'errors', 'flagged', 'images', 'listings', 'pages', 'seconds'].sort(),
    );
  });

  it('found and crawled the QR-only channel through the code on the wall photo', async () => {
    await withDb(async (db) => {
      const [hidden] = await db.select().from(sources).where(eq(sources.url, 'https://t.me/s/hidden_stash'));
      expect(hidden?.discoveredVia).toMatch(
        /^QR code in .*wall-qr\.jpg \(https:\/\/t\.me\/almaty_shop\/105\)$/,
      );
      expect(hidden?.status).toBe('ok');
    });
  });

  it('flagged exactly the shop posts and the shop page, not the news page', async () => {
    await withDb(async (db) => {
      const rows = await db
        .select({ permalink: listings.permalink, flagged: detections.flagged })
        .from(detections)
        .innerJoin(listings, eq(listings.id, detections.listingId));
      const flagged = rows.filter((r) => r.flagged).map((r) => r.permalink);
      expect(flagged.sort()).toEqual([...SHOP_POSTS, `${fixtures.origin}/shop/`].sort());
      const news = rows.find((r) => r.permalink.endsWith('/news/operation.html'));
      expect(news).toEqual({ permalink: `${fixtures.origin}/news/operation.html`, flagged: false });
    });
  });

  it('gave each bundle a real, non-blank screenshot and hashes that match the stored bytes', async () => {
    const blobs = fileBlobStore(join(home, 'blobs'));
    await withDb(async (db) => {
      const all = await db.select().from(bundles);
      expect(all).toHaveLength(6);
      for (const b of all) {
        const files = await db.select().from(artifacts).where(eq(artifacts.bundleId, b.id));
        expect(files.map((f) => f.name)).toEqual(
          expect.arrayContaining(['bundle.json', 'page.html', 'screenshot.png', 'text.txt']),
        );
        for (const f of files) {
          const bytes = await blobs.get(f.sha256);
          expect(sha256(bytes)).toBe(f.sha256);
          expect(bytes.length).toBe(f.size);
        }
        const shot = files.find((f) => f.name === 'screenshot.png')!;
        const img = sharp(await blobs.get(shot.sha256));
        const [meta, stats] = await Promise.all([img.metadata(), img.stats()]);
        expect(meta).toMatchObject({ format: 'png', width: 1280 });
        expect(Math.max(...stats.channels.map((c) => c.stdev))).toBeGreaterThan(10); // not blank
      }
    });
  });

  it('is idempotent: crawling again adds no page, listing or bundle', async () => {
    const count = () =>
      withDb(async (db) => [
        (await db.select().from(listings)).length,
        (await db.select().from(bundles)).length,
        (await db.select().from(artifacts)).length,
      ]);
    const before = await count();
    const r = await runCli(
      ['crawl', '--seed', 'https://t.me/s/almaty_shop', '--allow-private', '--json'],
      env,
    );
    expect(r.code).toBe(0);
    // incremental: almaty_shop's first page only (nothing new, so no paging back) and, through the
    // QR code again, hidden_stash: 4 flagged, all already bundled
    expect(JSON.parse(r.stdout)).toMatchObject({ pages: 2, flagged: 4, bundles: 4 });
    expect(await count()).toEqual(before);
  });
});

describe('review → export → verify', () => {
  const out = () => join(home, 'packet.zip');

  it('lists bundles as JSON with the contract fields', async () => {
    const r = await runCli(['bundles', 'list', '--json'], env);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'new', verdict: expect.stringMatching(/^(shop|recruit)$/) });
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(['id', 'status', 'url', 'source', 'verdict', 'score', 'created_at']),
      );
    }
    expect(rows.find((x) => x.url === 'https://t.me/almaty_shop/103').verdict).toBe('recruit');
    ids = rows
      .filter((x) => x.url.startsWith('https://t.me/'))
      .map((x) => x.id)
      .slice(0, 2);
  });

  it('adds users; each password is printed alone', async () => {
    for (const [name, role] of [
      ['anna', 'volunteer'],
      ['boris', 'volunteer'],
      ['lena', 'liaison'],
    ]) {
      const r = await runCli(['users', 'add', name!, '--role', role!], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}\n$/);
    }
  });

  it('needs two distinct confirmations', async () => {
    for (const id of ids) {
      expect((await runCli(['review', id, 'confirm', '--as', 'anna'], env)).stdout).toBe(`${id} in_review\n`);
      expect((await runCli(['review', id, 'confirm', '--as', 'anna'], env)).stdout).toBe(`${id} in_review\n`);
      const second = await runCli(
        ['review', id, 'confirm', '--as', 'boris', '--note', 'цены и закладки'],
        env,
      );
      expect(second.stdout).toBe(`${id} confirmed\n`);
    }
  });

  it('refuses an export by a volunteer, and exports for a liaison officer', async () => {
    const denied = await runCli(['export', '--out', out(), '--as', 'anna'], env);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(
      'dozor: user "anna" is a volunteer and may not export: that needs liaison or admin\n',
    );
    expect(existsSync(out())).toBe(false);
    const r = await runCli(['export', '--out', out(), '--as', 'lena'], env);
    expect(r.stderr).toMatch(/^packet [0-9a-f-]{36}: 2 bundle\(s\), signed by key SHA-256 [0-9a-f]{64}\n$/);
    expect(r.code).toBe(0);
    const files = Object.keys(unzipSync(readFileSync(out())));
    for (const name of [
      'bagit.txt',
      'manifest-sha256.txt',
      'tagmanifest-sha256.txt.sig',
      'data/report.pdf',
      'data/custody.jsonl',
    ]) {
      expect(files.some((f) => f.endsWith(`/${name}`))).toBe(true);
    }
    expect(files.filter((f) => f.endsWith('/screenshot.png'))).toHaveLength(2);
    const entries = unzipSync(readFileSync(out()));
    const text = (suffix: string) =>
      Buffer.from(Object.entries(entries).find(([n]) => n.endsWith(suffix))![1]).toString('utf8');
    expect(text('/data/report.html')).toMatch(
      /Магазин \/ Shop<\/td><td>s[0-9a-f]{11}: .*telegram:hidden_stash/,
    );
    expect(text('/data/summary.csv').split('\r\n')[0]).toMatch(/,"shop"$/);
  });

  it('verify accepts the packet', async () => {
    const r = await runCli(['verify', out()], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK .*: 2 bundle\(s\), signed by key SHA-256 [0-9a-f]{64}\n$/);
  });

  it('verify fails after one byte of a file inside the packet is changed, and names the file', async () => {
    const entries = unzipSync(readFileSync(out()));
    const name = Object.keys(entries).find((f) => f.endsWith('/screenshot.png'))!;
    const bytes = entries[name]!;
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    const tampered = join(home, 'tampered.zip');
    writeFileSync(tampered, zipSync(entries));
    const r = await runCli(['verify', tampered], env);
    expect(r.code).toBe(1);
    const inner = name.slice(name.indexOf('/') + 1);
    expect(r.stderr).toContain(`changed file: ${inner}`);
    expect(r.stderr).toMatch(/FAILED verification/);
  });

  it('links the channel, its QR-only mirror and the shop web page into one shop; the news page that quotes the handle stays out', async () => {
    const r = await runCli(['shops', 'list', '--json'], env);
    expect(r.code).toBe(0);
    const shops = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(shops).toHaveLength(1);
    expect(shops[0].sources).toEqual(
      ['https://t.me/s/almaty_shop', 'https://t.me/s/hidden_stash', `${fixtures.origin}/shop/`].sort(),
    );
    expect(shops[0].identifiers).toEqual(
      expect.arrayContaining([
        { kind: 'telegram', value: 'almaty_shop' },
        { kind: 'telegram', value: 'hidden_stash' },
        { kind: 'telegram', value: 'almaty_shop_bot' },
      ]),
    );
    expect(shops[0].bundles).toHaveLength(6);
    const shown = await runCli(['shops', 'show', shops[0].id], env);
    expect(shown.stdout).toMatch(/telegram:hidden_stash {2}seen \d+× \(.*QR code/);

    const out = join(home, 'shop.zip');
    const exported = await runCli(['export', '--shop', shops[0].id, '--out', out, '--as', 'lena'], env);
    expect(exported.code).toBe(0);
    const files = unzipSync(readFileSync(out));
    const graph = JSON.parse(
      Buffer.from(Object.entries(files).find(([n]) => n.endsWith('/data/shop.json'))![1]).toString(),
    );
    expect(graph.bundles.sort()).toEqual([...ids].sort()); // only the confirmed ones
    expect(graph.identifiers.find((i: { value: string }) => i.value === 'hidden_stash').seen).toEqual(
      expect.arrayContaining([{ listing: 'https://t.me/almaty_shop/105', where: 'QR code' }]),
    );
    expect((await runCli(['verify', out], env)).code).toBe(0);
  });

  it('the VERIFY.txt commands pass with sha256sum and openssl alone', () => {
    const dir = join(home, 'unzipped');
    mkdirSync(dir);
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(out())))) {
      const path = join(dir, name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, bytes);
    }
    const bag = join(dir, Object.keys(unzipSync(readFileSync(out())))[0]!.split('/')[0]!);
    const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: bag, encoding: 'utf8' });
    expect(run('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt']).status).toBe(0);
    expect(run('sha256sum', ['-c', '--quiet', 'tagmanifest-sha256.txt']).status).toBe(0);
    const sig = run('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'signer.pub.pem',
      '-rawin',
      '-in',
      'tagmanifest-sha256.txt',
      '-sigfile',
      'tagmanifest-sha256.txt.sig',
    ]);
    expect(sig.stdout).toContain('Signature Verified Successfully');
    const fingerprint = execFileSync(
      'sh',
      ['-c', 'openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum'],
      { cwd: bag, encoding: 'utf8' },
    );
    expect(readFileSync(join(bag, 'VERIFY.txt'), 'utf8')).toContain(fingerprint.split(' ')[0]!);
    // One changed byte in the tag manifest breaks the signature check too.
    const tm = readFileSync(join(bag, 'tagmanifest-sha256.txt'));
    tm[0] = tm[0] === 0x61 ? 0x62 : 0x61;
    writeFileSync(join(bag, 'tagmanifest-sha256.txt'), tm);
    const bad = run('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'signer.pub.pem',
      '-rawin',
      '-in',
      'tagmanifest-sha256.txt',
      '-sigfile',
      'tagmanifest-sha256.txt.sig',
    ]);
    expect(bad.status).not.toBe(0);
  });
});

describe('the console over the same data', () => {
  it('logs in, triages from the queue, escapes hostile text and needs CSRF tokens', async () => {
    const added = await runCli(['users', 'add', 'vera', '--role', 'volunteer'], env);
    const password = added.stdout.trim();
    const handle = await openDb({ dir: join(home, 'db') });
    try {
      const app = createConsole({
        db: handle.db,
        blobs: fileBlobStore(join(home, 'blobs')),
        confirmations: 2,
      });
      expect((await app.request('/queue')).headers.get('location')).toBe('/login');
      const form = (fields: Record<string, string>) => ({
        method: 'POST',
        body: new URLSearchParams(fields),
      });
      expect((await app.request('/login', form({ name: 'vera', password: 'nope' }))).status).toBe(401);
      const login = await app.request('/login', form({ name: 'vera', password }));
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const headers = { cookie: cookie.split(';')[0]! };

      const queue = await app.request('/queue', { headers });
      expect(queue.status).toBe(303);
      expect(queue.headers.get('location')).toMatch(/^\/bundles\/[0-9a-f]{16}$/);

      const [hostile] = await handle.db
        .select({ id: bundles.id })
        .from(bundles)
        .innerJoin(listings, eq(listings.id, bundles.listingId))
        .where(eq(listings.permalink, 'https://t.me/hidden_stash/9'));
      const page = await app.request(`/bundles/${hostile!.id}`, {
        headers: { ...headers, 'accept-language': 'kk' },
      });
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const body = await page.text();
      // The payloads appear only as escaped text; the one script is the console's own external file.
      expect(body.match(/<script[^>]*>/gi) ?? []).toEqual(['<script src="/static/console.js" defer>']);
      expect(body).not.toMatch(/<img src=x|<svg/i);
      expect(body).toContain('&#60;svg onload=alert(2)&#62;');
      expect(body).not.toContain('\u202e'); // the right-to-left override is shown as text, not applied
      expect(body).toContain('&#60;script&#62;alert(&#34;xss&#34;)&#60;/script&#62;');
      expect(body).toContain('Растау'); // Kazakh UI from Accept-Language
      const csrf = /name="csrf" value="([^"]+)"/.exec(body)![1]!;

      const review = (fields: Record<string, string>) =>
        app.request(`/bundles/${hostile!.id}/review`, { ...form(fields), headers });
      expect((await review({ decision: 'confirm' })).status).toBe(403);
      expect((await review({ decision: 'escalate', csrf, note: 'нужен второй взгляд' })).status).toBe(303);
      const shopsPage = await (
        await app.request('/shops', { headers: { ...headers, 'accept-language': 'en' } })
      ).text();
      const shopId = /href="\/shops\/(s[0-9a-f]{11})"/.exec(shopsPage)![1]!;
      const shopPage = await (await app.request(`/shops/${shopId}`, { headers })).text();
      expect(shopPage).toContain('telegram:hidden_stash');
      expect(shopPage).toContain('QR code');
      expect(shopPage).toContain(`/bundles/${hostile!.id}`);
      const raw = await app.request(`/bundles/${hostile!.id}/files/page.html`, { headers });
      expect(raw.headers.get('content-disposition')).toMatch(/^attachment/);
      expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    } finally {
      await handle.close();
    }
    const listed = await runCli(['bundles', 'list', '--status', 'escalated', '--json'], env);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).url),
    ).toEqual(['https://t.me/hidden_stash/9']);
  });
});
