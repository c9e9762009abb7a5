/**
 * Issue 7's acceptance: complete bundles (WARC, metadata, child bundle of a QR target), refusal of
 * bundles that lack proof, a custody log the database protects, and packets whose every kind of
 * tampering `verify` names; the bag passes an independent RFC 8493 validator.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { unzipSync, zipSync } from 'fflate';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, bundles, listings } from '../../db/schema.ts';
import { readWarc } from '../../src/capture/warc.ts';
import { loadConfig } from '../../src/config/config.ts';
import { findBrokenLink } from '../../src/custody/chain.ts';
import { custodyEventsOf } from '../../src/custody/log.ts';
import { exportPacket } from '../../src/export/packet.ts';
import { loadOrCreateSigningKey } from '../../src/export/signing.ts';
import { verifyPacket } from '../../src/export/verify.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { recordReview } from '../../src/review/review.ts';
import { exportHistory } from '../../src/review/stats.ts';
import { addUser } from '../../src/review/users.ts';
import { root, runCli, tmpHome } from '../helpers.ts';

let server: Server;
let origin = '';
let rt: Runtime;
let home = '';
let parentId = '';
let childId = '';
let packet: Uint8Array;

/** A channel whose shop post carries a QR code to a mirror web page. */
async function startSite() {
  let qr: Buffer | undefined;
  server = createServer((req, res) => {
    if (req.url === '/s/qr_shop') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>QR shop</title></head><body>
<div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span>QR Shop</span></div></div>
<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="qr_shop/5">
<a class="tgme_widget_message_photo_wrap" style="background-image:url('/qr.png')"></a>
<div class="tgme_widget_message_text js-message_text">Мефедрон 1г — 15000₸, закладки. Зеркало по QR-коду.</div>
<time datetime="2026-11-01T10:00:00+00:00">10:00</time></div></div></body></html>`);
    }
    if (req.url === '/qr.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(qr);
    if (req.url === '/old-mirror') return res.writeHead(301, { location: '/mirror/' }).end();
    if (req.url === '/mirror/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        '<!DOCTYPE html><html><head><title>Зеркало</title></head><body><h1>Вход в магазин</h1></body></html>',
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  qr = await QRCode.toBuffer(`${origin}/old-mirror`, { width: 300 });
}

beforeAll(async () => {
  await startSite();
  home = tmpHome();
  const config = { ...loadConfig({ DOZOR_HOME: home }), allowPrivate: true, telegramBase: origin };
  rt = await openRuntime(config, { browser: true, log: () => {} });
  const { summary } = await crawl(rt.ctx, { seeds: ['https://t.me/s/qr_shop'] });
  expect(summary).toMatchObject({ pages: 2, codes: 1, flagged: 1, bundles: 2, errors: 0 });
  const rows = await rt.ctx.db
    .select({ id: bundles.id, parent: bundles.parentBundleId, permalink: listings.permalink })
    .from(bundles)
    .innerJoin(listings, eq(listings.id, bundles.listingId));
  parentId = rows.find((r) => r.permalink === 'https://t.me/qr_shop/5')!.id;
  childId = rows.find((r) => r.permalink.endsWith('/mirror/'))!.id;
});
let closed = false;
const closeRuntime = async () => {
  if (!closed) await rt?.close();
  closed = true;
};
afterAll(async () => {
  await closeRuntime();
  server?.close();
});

const artifactOf = async (bundleId: string, name: string) => {
  const all = await rt.ctx.db.select().from(artifacts).where(eq(artifacts.bundleId, bundleId));
  const hit = all.find((x) => x.name === name);
  if (!hit) throw new Error(`${bundleId} has no ${name}`);
  return hit;
};
const fileOf = async (bundleId: string, name: string) =>
  rt.ctx.blobs.get((await artifactOf(bundleId, name)).sha256);

describe('bundle contents', () => {
  it('links the QR target as a child bundle of the post that carried the code', async () => {
    const [child] = await rt.ctx.db.select().from(bundles).where(eq(bundles.id, childId));
    expect(child!.parentBundleId).toBe(parentId);
    const json = JSON.parse((await fileOf(childId, 'bundle.json')).toString());
    expect(json).toMatchObject({ parent_bundle: parentId, reason: 'target of a bundled listing' });
    expect(json.channel.discovered_via).toMatch(/^QR code in .*\/qr\.png \(https:\/\/t\.me\/qr_shop\/5\)$/);
  });

  it('records the redirect chain, resolved IP, time, version and the QR code bound to its image hash', async () => {
    const child = JSON.parse((await fileOf(childId, 'bundle.json')).toString());
    expect(child.page).toMatchObject({
      url: `${origin}/old-mirror`,
      final_url: `${origin}/mirror/`,
      redirects: [`${origin}/old-mirror`],
      status: 200,
      resolved_ip: '127.0.0.1',
    });
    expect(child.dozor_version).toMatch(/^\d+\.\d+\.\d+/);
    const parent = JSON.parse((await fileOf(parentId, 'bundle.json')).toString());
    expect(parent.channel).toMatchObject({ url: 'https://t.me/s/qr_shop', title: 'QR Shop' });
    expect(parent.detection.rule_pack_version).toBe(rt.ctx.rules.version);
    const [image] = parent.images;
    expect(image.qr).toEqual({ text: `${origin}/old-mirror`, kind: 'url', target: `${origin}/old-mirror` });
    const imageFile = parent.artifacts.find((a: { name: string }) => a.name.startsWith('images/'));
    expect(imageFile.name).toBe(`images/${image.sha256}.png`);
  });

  it('holds a WARC of the request and the response with the exact bytes fetched', async () => {
    const records = await readWarc(await fileOf(parentId, 'capture.warc.gz'));
    expect(records.map((r) => r.type)).toEqual(['warcinfo', 'request', 'response']);
    const response = records[2]!;
    expect(response.url).toBe(`${origin}/s/qr_shop`);
    expect(response.headers.get('warc-ip-address')).toBe('127.0.0.1');
    const http = Buffer.from(response.payload).toString('utf8');
    expect(http).toContain((await fileOf(parentId, 'page.html')).toString());
  });
});

describe('refusal and custody', () => {
  it('refuses to export a bundle without confirmations or with a corrupted file, saying what is missing', async () => {
    await addUser(rt.ctx.db, 'lena', 'liaison');
    const key = loadOrCreateSigningKey(join(home, 'key.pem'));
    const browser = rt.ctx.browser!;
    const base = { db: rt.ctx.db, blobs: rt.ctx.blobs, key, browser, confirmations: 2, actor: 'lena' };
    await expect(exportPacket({ ...base, bundleIds: [parentId], out: join(home, 'x.zip') })).rejects.toThrow(
      `refusing to export 1 bundle(s) that lack proof: ${parentId}: status new, 0 of 2 confirmations`,
    );
    for (const u of ['anna', 'boris']) {
      await addUser(rt.ctx.db, u, 'volunteer');
      for (const id of [parentId, childId]) {
        await recordReview(rt.ctx.db, { bundleId: id, user: u, decision: 'confirm', confirmations: 2 });
      }
    }
    // Corrupt the child's stored text on disk: the export re-hashes and refuses.
    const txt = await artifactOf(childId, 'text.txt');
    const path = join(home, 'blobs', txt.sha256.slice(0, 2), txt.sha256.slice(2, 4), txt.sha256);
    const original = readFileSync(path);
    chmodSync(path, 0o644);
    writeFileSync(path, Buffer.concat([original, Buffer.from('!')]));
    await expect(exportPacket({ ...base, out: join(home, 'y.zip') })).rejects.toThrow(
      new RegExp(`${childId}: text\\.txt: blob ${txt.sha256} is corrupt`),
    );
    writeFileSync(path, original);
    // An output that cannot be written fails before the custody log records any export.
    const eventsBefore = (await custodyEventsOf(rt.ctx.db)).length;
    await expect(exportPacket({ ...base, out: join(home, 'no-such-dir', 'p.zip') })).rejects.toThrow(
      /^cannot write .*no-such-dir\/p\.zip: ENOENT$/,
    );
    expect((await custodyEventsOf(rt.ctx.db)).length).toBe(eventsBefore);
    // A failure after the export was recorded (here: printing the PDF) is corrected by an
    // export_failed event for the same packet; the log is never rewritten and no file is left.
    const failing = { ...browser, pdf: async () => Promise.reject(new Error('printer on fire')) };
    await expect(exportPacket({ ...base, browser: failing, out: join(home, 'failed.zip') })).rejects.toThrow(
      'printer on fire',
    );
    expect(existsSync(join(home, 'failed.zip'))).toBe(false);
    const added = (await custodyEventsOf(rt.ctx.db)).slice(eventsBefore);
    expect(added.map((e) => e.event).sort()).toEqual([
      'export_failed',
      'export_failed',
      'exported',
      'exported',
    ]);
    const failedPacket = added.find((e) => e.event === 'exported')!.data.packet;
    expect(added.every((e) => e.data.packet === failedPacket)).toBe(true);
    expect(added.find((e) => e.event === 'export_failed')!.data.reason).toBe('printer on fire');
    expect((await exportHistory(rt.ctx.db)).map((x) => x.packet)).not.toContain(failedPacket);
    const r = await exportPacket({ ...base, out: join(home, 'packet.zip') });
    expect((await exportHistory(rt.ctx.db)).map((x) => x.packet)).toEqual([r.packetId]);
    expect(r.bundles.sort()).toEqual([parentId, childId].sort());
    packet = readFileSync(join(home, 'packet.zip'));
  });

  it('keeps every chain intact: the failed export, its correction, then the export', async () => {
    const events = await custodyEventsOf(rt.ctx.db);
    expect(findBrokenLink(events)).toBeUndefined();
    expect(events.filter((e) => e.chain === parentId).map((e) => e.event)).toEqual([
      'captured',
      'reviewed',
      'reviewed',
      'exported',
      'export_failed',
      'exported',
    ]);
  });

  it('`dozor custody verify` names the first broken link after the log is altered behind the triggers', async () => {
    await closeRuntime(); // PGlite: one process at a time
    const env = { DOZOR_HOME: home };
    expect((await runCli(['custody', 'verify'], env)).stdout).toMatch(/^OK: \d+ events in \d+ chains\n$/);
    const good = JSON.parse((await runCli(['custody', 'verify', '--json'], env)).stdout);
    expect(good).toMatchObject({ ok: true, broken: null });
    expect(good.events).toBeGreaterThan(good.chains);
    const { openDb } = await import('../../db/client.ts');
    const h = await openDb({ dir: join(home, 'db') });
    await h.db.execute(sql`alter table custody_events disable trigger user`);
    await h.db.execute(
      sql`update custody_events set actor = 'mallory' where chain = ${parentId} and event = 'reviewed' and actor = 'boris'`,
    );
    await h.close();
    const r = await runCli(['custody', 'verify'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^dozor: custody log broken: event \\d+ \\(reviewed on ${parentId}\\) was altered`),
    );
    const json = await runCli(['custody', 'verify', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, broken: expect.stringContaining(parentId) });
  });
});

describe('packets: verify names each kind of tampering', () => {
  type Files = Record<string, Uint8Array>;
  const entries = (): Files => unzipSync(packet);
  const top = () => Object.keys(entries())[0]!.split('/')[0]!;
  const rezip = (files: Files) => zipSync(files);
  const problemsAfter = async (change: (f: Files, t: string) => void) => {
    const files = entries();
    change(files, top());
    return (await verifyPacket(rezip(files))).problems;
  };
  const flip = (b: Uint8Array) => {
    const c = new Uint8Array(b);
    c[c.length - 1] = c[c.length - 1]! ^ 1;
    return c;
  };

  it('a good packet verifies', async () => {
    expect(await verifyPacket(packet)).toMatchObject({ ok: true, problems: [], bundles: 2 });
  });
  it('a changed data file', async () => {
    const p = await problemsAfter((f, t) => (f[`${t}/data/summary.csv`] = flip(f[`${t}/data/summary.csv`]!)));
    expect(p).toEqual(['changed file: data/summary.csv (its SHA-256 differs from manifest-sha256.txt)']);
  });
  it('a missing and an added data file', async () => {
    const p = await problemsAfter((f, t) => {
      delete f[`${t}/data/report.html`];
      f[`${t}/data/extra.txt`] = new Uint8Array([1]);
    });
    expect(p).toEqual([
      'missing file: data/report.html (listed in manifest-sha256.txt)',
      'extra file: data/extra.txt (not in manifest-sha256.txt)',
    ]);
  });
  it('a changed manifest', async () => {
    const p = await problemsAfter(
      (f, t) => (f[`${t}/manifest-sha256.txt`] = flip(f[`${t}/manifest-sha256.txt`]!)),
    );
    expect(p).toContain(
      'changed file: manifest-sha256.txt (its SHA-256 differs from tagmanifest-sha256.txt)',
    );
  });
  it('a changed tag manifest', async () => {
    const p = await problemsAfter((f, t) => {
      const tm = Buffer.from(f[`${t}/tagmanifest-sha256.txt`]!)
        .toString()
        .replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      f[`${t}/tagmanifest-sha256.txt`] = Buffer.from(tm);
    });
    expect(p).toContain(
      'signature: tagmanifest-sha256.txt.sig is not a valid signature of tagmanifest-sha256.txt',
    );
  });
  it('a changed custody log', async () => {
    const p = await problemsAfter((f, t) => {
      const log = Buffer.from(f[`${t}/data/custody.jsonl`]!).toString().replace('"boris"', '"mallory"');
      f[`${t}/data/custody.jsonl`] = Buffer.from(log);
    });
    expect(p[0]).toBe('changed file: data/custody.jsonl (its SHA-256 differs from manifest-sha256.txt)');
    expect(p[1]).toMatch(/^custody: broken chain: event \d+ \(reviewed on [0-9a-f]{16}\) was altered/);
  });
  it('a bad signature, and a swapped key', async () => {
    const sig = await problemsAfter(
      (f, t) => (f[`${t}/tagmanifest-sha256.txt.sig`] = flip(f[`${t}/tagmanifest-sha256.txt.sig`]!)),
    );
    expect(sig).toEqual([
      'signature: tagmanifest-sha256.txt.sig is not a valid signature of tagmanifest-sha256.txt',
    ]);
    const other = loadOrCreateSigningKey(join(tmpHome(), 'other.pem'));
    const key = await problemsAfter((f, t) => (f[`${t}/signer.pub.pem`] = Buffer.from(other.publicPem)));
    expect(key).toContain('changed file: signer.pub.pem (its SHA-256 differs from tagmanifest-sha256.txt)');
    expect(key).toContain(
      'signature: tagmanifest-sha256.txt.sig is not a valid signature of tagmanifest-sha256.txt',
    );
  });
  it('a ZIP bomb is refused without unpacking it', async () => {
    await expect(
      verifyPacket(zipSync({ 'bag/data/zeros.bin': new Uint8Array(64 * 1024 * 1024) })),
    ).rejects.toThrow(/compressed suspiciously well/);
  });
  it('passes an independent RFC 8493 validator, which also catches a change', () => {
    const dir = join(tmpHome(), 'bag');
    const write = (files: Files) => {
      for (const [name, bytes] of Object.entries(files)) {
        const path = join(dir, name.slice(name.indexOf('/') + 1));
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, bytes);
      }
    };
    write(entries());
    const validate = () =>
      spawnSync('python3', [`${root}/test/tools/bagit_validate.py`, dir], { encoding: 'utf8' });
    const good = validate();
    expect(good.stdout).toBe('valid\n');
    expect(good.status).toBe(0);
    writeFileSync(join(dir, 'data/summary.csv'), 'changed');
    const bad = validate();
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('manifest-sha256.txt: checksum mismatch: data/summary.csv');
  });
});
