/**
 * Evidence benchmarks: exporting 1 000 confirmed bundles (seconds, packet MB), and `dozor verify`
 * throughput in MB/s beside `sha256sum -c` over the same files, in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { openDb } from '../db/client.ts';
import { detections, listings, pages } from '../db/schema.ts';
import { fileBlobStore } from '../src/capture/blobs.ts';
import { launchBrowser } from '../src/capture/browser.ts';
import { sha256 } from '../src/capture/hash.ts';
import { storeBundle } from '../src/capture/store-bundle.ts';
import { loadConfig } from '../src/config/config.ts';
import { exportPacket } from '../src/export/packet.ts';
import { loadOrCreateSigningKey } from '../src/export/signing.ts';
import { verifyPacket } from '../src/export/verify.ts';
import { recordReview } from '../src/review/review.ts';
import { addUser } from '../src/review/users.ts';

const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

/** A screenshot-like PNG (noise compresses badly, like real page captures), unique per bundle. */
async function screenshot(i: number): Promise<Buffer> {
  const w = 640;
  const h = 400;
  const px = Buffer.alloc(w * h * 3);
  let s = i + 1;
  for (let k = 0; k < px.length; k++) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    px[k] = (k % 3 === 0 ? 200 : 230) + ((s >> 16) & 15);
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

/** Inserts `n` confirmed bundles with real blobs, custody events and reviews. */
async function seed(home: string, n: number) {
  const { db, close } = await openDb({ dir: join(home, 'db') });
  const blobs = fileBlobStore(join(home, 'blobs'));
  await addUser(db, 'anna', 'volunteer');
  await addUser(db, 'boris', 'volunteer');
  await addUser(db, 'lena', 'liaison');
  const html = Buffer.from(
    `<html><body>${'<p>Мефедрон 1г — 15000₸, закладки.</p>'.repeat(200)}</body></html>`,
  );
  const htmlSha = await blobs.put(html);
  for (let i = 0; i < n; i++) {
    const text = `Мефедрон 1г — ${15000 + i}₸, закладки по городу, @shop_bot #${i}`;
    const [page] = await db
      .insert(pages)
      .values({
        url: `https://t.me/s/shop${i}`,
        finalUrl: `https://t.me/s/shop${i}`,
        status: 200,
        headers: { 'content-type': 'text/html' },
        bodySha256: htmlSha,
        bodySize: html.length,
        fetchedAt: new Date(),
      })
      .returning();
    const [listing] = await db
      .insert(listings)
      .values({
        pageId: page!.id,
        permalink: `https://t.me/shop${i}/1`,
        text,
        textSha256: sha256(text),
        links: [],
        imageUrls: [],
      })
      .returning();
    const [det] = await db
      .insert(detections)
      .values({
        listingId: listing!.id,
        rulePackVersion: 'bench',
        verdict: 'shop',
        score: 9,
        flagged: true,
        matches: [
          { rule: 'ru.substance.mephedrone', category: 'substance', start: 0, end: 8, text: 'Мефедрон' },
        ],
      })
      .returning();
    const id = sha256(`bench${i}`).slice(0, 16);
    const files = [
      { name: 'page.html', bytes: html, mime: 'text/html' },
      { name: 'screenshot.png', bytes: await screenshot(i), mime: 'image/png' },
      { name: 'text.txt', bytes: Buffer.from(text), mime: 'text/plain' },
      { name: 'bundle.json', bytes: Buffer.from(JSON.stringify({ id, text })), mime: 'application/json' },
    ];
    for (const f of files) await blobs.put(f.bytes);
    await storeBundle(db, { id, listingId: listing!.id, detectionId: det!.id, files }, {});
    for (const u of ['anna', 'boris'])
      await recordReview(db, { bundleId: id, user: u, decision: 'confirm', confirmations: 2 });
  }
  return { db, blobs, close };
}

/** Runs the benchmark with `n` bundles. */
export async function benchEvidence(n = 1000) {
  const home = join(tmpdir(), `dozor-bench-evidence-${process.pid}`);
  const { db, blobs, close } = await seed(home, n);
  const browser = await launchBrowser({ executablePath: loadConfig().chromium, allowPrivate: false });
  const out = join(home, 'packet.zip');
  try {
    const t = process.hrtime.bigint();
    await exportPacket({
      db,
      blobs,
      key: loadOrCreateSigningKey(join(home, 'key.pem')),
      browser,
      confirmations: 2,
      actor: 'lena',
      out,
    });
    const exportSeconds = seconds(t);
    const zip = readFileSync(out);
    const files = unzipSync(zip);
    const payloadBytes = Object.values(files).reduce((s, b) => s + b.length, 0);
    const dir = join(home, 'unzipped');
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const bag = join(dir, Object.keys(files)[0]!.split('/')[0]!);
    /** The median of three timed runs. */
    const runs = async (fn: () => unknown) => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = process.hrtime.bigint();
        await fn();
        times.push(seconds(s));
      }
      return times.sort((a, b) => a - b)[1]!;
    };
    const ours = await runs(async () => {
      if (!(await verifyPacket(readFileSync(out))).ok) throw new Error('bench packet did not verify');
    });
    const theirs = await runs(() =>
      execFileSync(
        'sh',
        ['-c', 'sha256sum -c --quiet manifest-sha256.txt && sha256sum -c --quiet tagmanifest-sha256.txt'],
        { cwd: bag },
      ),
    );
    const mb = payloadBytes / 1e6;
    return [
      {
        bench: `export ${n} bundles`,
        seconds: +exportSeconds.toFixed(1),
        'packet MB': +(statSync(out).size / 1e6).toFixed(1),
      },
      { bench: 'dozor verify (from the ZIP)', 'MB/s': +(mb / ours).toFixed(0), seconds: +ours.toFixed(2) },
      {
        bench: 'sha256sum -c (unzipped files)',
        'MB/s': +(mb / theirs).toFixed(0),
        seconds: +theirs.toFixed(2),
      },
      { bench: 'ratio verify ÷ sha256sum', 'MB/s': +(theirs / ours).toFixed(2) },
    ];
  } finally {
    await browser.close();
    await close();
    execFileSync('rm', ['-rf', home]);
  }
}
