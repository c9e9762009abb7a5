/**
 * `dozor export`: confirmed bundles → a signed BagIt packet in a ZIP. The export itself is a
 * custody event in each bundle's chain, and the packet carries those chains.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { type Zippable, zipSync } from 'fflate';
import sharp from 'sharp';
import type { Db } from '../../db/client.ts';
import type { BlobStore } from '../capture/blobs.ts';
import type { Browser } from '../capture/browser.ts';
import { DozorError } from '../config/errors.ts';
import { appendCustody, custodyEventsOf } from '../custody/log.ts';
import { type BundleDetail, getBundle, listBundles } from '../review/bundle-queries.ts';
import type { BundleStatus } from '../review/status.ts';
import { userWhoCan } from '../review/users.ts';
import { listShops, type Shop } from '../shops/shop-queries.ts';
import { type BagFiles, completeBag } from './bagit.ts';
import { missingProofs } from './readiness.ts';
import { reportHtml, summaryCsv } from './report.ts';
import { type SigningKey, signBytes } from './signing.ts';
import { verifyInstructions } from './verify-instructions.ts';

/** What an export needs. */
export interface ExportInput {
  db: Db;
  blobs: BlobStore;
  key: SigningKey;
  browser: Browser;
  confirmations: number;
  actor: string;
  status?: BundleStatus;
  /** Export exactly these bundles instead of all with `status`. */
  bundleIds?: string[];
  /** Export this shop's bundles (with `status`) and its identifier graph. */
  shop?: Shop;
  out: string;
}

/** Writes the packet to `out`; returns its id and the exported bundle ids. */
export async function exportPacket(input: ExportInput) {
  const user = await userWhoCan(input.db, input.actor, 'export');
  if (existsSync(input.out)) throw new DozorError(`${input.out} already exists: choose another --out`);
  const status = input.status ?? 'confirmed';
  const all = await listBundles(input.db, { confirmations: input.confirmations });
  const chosen = input.bundleIds
    ? input.bundleIds.map((id) => all.find((b) => b.id === id) ?? { id, status: 'unknown' as const })
    : all.filter((b) => b.status === status && (!input.shop || input.shop.bundles.includes(b.id)));
  const unknown = chosen.filter((b) => b.status === 'unknown').map((b) => b.id);
  if (unknown.length)
    throw new DozorError(`no bundle with id ${unknown.join(', ')} (see: dozor bundles list)`);
  if (chosen.length === 0) {
    throw new DozorError(
      `no bundles with status ${status} to export${input.shop ? ` in shop ${input.shop.id}` : ''}`,
    );
  }
  const ids = chosen.map((b) => b.id);
  const before = await custodyEventsOf(input.db, ids);
  const problems: string[] = [];
  for (const id of ids) {
    const b = (await getBundle(input.db, id, input.confirmations))!;
    const missing = await missingProofs(b, before, input.blobs, input.confirmations);
    if (missing.length) problems.push(`${id}: ${missing.join(', ')}`);
  }
  if (problems.length) {
    throw new DozorError(
      `refusing to export ${problems.length} bundle(s) that lack proof: ${problems.join('; ')}`,
    );
  }
  // Claim the output file before any custody event is written, so a path that cannot be written
  // fails here and leaves no "exported" record behind.
  const out = await open(input.out, 'wx').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new DozorError(`${input.out} already exists: choose another --out`);
    throw new DozorError(`cannot write ${input.out}: ${err.code ?? err.message}`);
  });
  const packetId = randomUUID();
  try {
    return await writePacket(input, user.name, ids, out, packetId);
  } catch (err) {
    await out.close().catch(() => {});
    await rm(input.out, { force: true });
    await recordFailedExport(input.db, user.name, ids, packetId, err);
    throw err;
  }
}

/**
 * The custody log is append-only, so an export that fails after its "exported" events were written
 * is corrected by an "export_failed" event for the same packet in each of those chains.
 */
async function recordFailedExport(db: Db, actor: string, ids: string[], packet: string, err: unknown) {
  const recorded = (await custodyEventsOf(db, ids)).filter(
    (e) => e.event === 'exported' && e.data.packet === packet,
  );
  if (recorded.length === 0) return;
  const reason = String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);
  await db.transaction(async (tx) => {
    for (const e of recorded)
      await appendCustody(tx, { chain: e.chain, event: 'export_failed', actor, data: { packet, reason } });
  });
}

/** Records the export in the custody log, builds the signed bag and writes it to `out`. */
async function writePacket(
  input: ExportInput,
  actor: string,
  ids: string[],
  out: FileHandle,
  packetId: string,
) {
  const user = { name: actor };
  const createdAt = new Date().toISOString();
  await input.db.transaction(async (tx) => {
    for (const id of ids) {
      await appendCustody(tx, {
        chain: id,
        event: 'exported',
        actor: user.name,
        at: createdAt,
        data: { packet: packetId },
      });
    }
  });
  const details = (await Promise.all(
    ids.map((id) => getBundle(input.db, id, input.confirmations)),
  )) as BundleDetail[];

  const files: BagFiles = new Map();
  for (const b of details) {
    for (const a of b.artifacts)
      files.set(`data/bundles/${b.bundle.id}/${a.name}`, await input.blobs.get(a.sha256));
  }
  const events = await custodyEventsOf(input.db, ids);
  files.set('data/custody.jsonl', Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join('')));
  const shops = await listShops(input.db);
  const shopOf = (bundleId: string) => shops.find((s) => s.bundles.includes(bundleId));
  files.set('data/summary.csv', Buffer.from(summaryCsv(details, shopOf)));
  if (input.shop)
    files.set('data/shop.json', Buffer.from(`${JSON.stringify(shopGraph(input.shop, details), null, 2)}\n`));
  const meta = { packetId, createdBy: user.name, createdAt, fingerprint: input.key.fingerprint };
  files.set(
    'data/report.html',
    Buffer.from(reportHtml(meta, details, (id, name) => `bundles/${id}/${name}`, shopOf)),
  );
  // The PDF embeds screenshots scaled down to page width, so a packet of many bundles stays printable.
  const thumbs = new Map<string, string>();
  for (const id of ids) {
    const png = files.get(`data/bundles/${id}/screenshot.png`);
    if (!png) continue;
    const jpeg = await sharp(png)
      .resize({ width: 900, withoutEnlargement: true })
      .jpeg({ quality: 70 })
      .toBuffer();
    thumbs.set(id, `data:image/jpeg;base64,${jpeg.toString('base64')}`);
  }
  files.set(
    'data/report.pdf',
    await input.browser.pdf(reportHtml(meta, details, (id) => thumbs.get(id) ?? '', shopOf)),
  );
  files.set('VERIFY.txt', Buffer.from(verifyInstructions(input.key.fingerprint)));
  files.set('signer.pub.pem', Buffer.from(input.key.publicPem));
  completeBag(files, {
    'Source-Organization': 'Dozor',
    'External-Identifier': packetId,
    'Contact-Name': user.name,
    'Bag-Count': '1 of 1',
    'Bundle-Count': String(ids.length),
    'Signing-Key-SHA256': input.key.fingerprint,
  });
  files.set('tagmanifest-sha256.txt.sig', signBytes(input.key, files.get('tagmanifest-sha256.txt')!));

  const zippable: Zippable = {};
  for (const [path, bytes] of files) {
    const stored = /\.(png|jpe?g|webp|gif|pdf|zip|gz)$/i.test(path);
    zippable[`dozor-${packetId}/${path}`] = [bytes, { level: stored ? 0 : 6 }];
  }
  await out.writeFile(zipSync(zippable));
  await out.close();
  return { packetId, bundles: ids, fingerprint: input.key.fingerprint };
}

/** The shop's identifier graph as exported: which identifier was seen in which listing, and where. */
function shopGraph(shop: Shop, details: BundleDetail[]) {
  return {
    id: shop.id,
    sources: shop.sources,
    bundles: details.map((d) => d.bundle.id),
    identifiers: shop.evidence.map((e) => ({
      kind: e.kind,
      value: e.value,
      seen: e.seen.map((s) => ({
        listing: shop.permalinks[s.listingId] ?? `listing ${s.listingId}`,
        where: s.where,
      })),
    })),
  };
}
