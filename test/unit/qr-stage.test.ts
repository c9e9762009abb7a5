import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { listingImages, listings, pages, qrCodes } from '../../db/schema.ts';
import { fileBlobStore } from '../../src/capture/blobs.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { StageContext } from '../../src/pipeline/context.ts';
import { closeSharedDecodePool } from '../../src/qr/decode-pool.ts';
import { qrStage } from '../../src/qr/qr-stage.ts';
import { decompressionBomb, root, tmpHome } from '../helpers.ts';

let server: Server;
let origin: string;
let handle: DbHandle;
let ctx: StageContext;
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  const wall = readFileSync(`${root}/fixtures/site/img/wall-qr.jpg`);
  const bomb = await decompressionBomb();
  files['wall.jpg'] = wall;
  files['two.jpg'] = readFileSync(`${root}/fixtures/qr/two-codes.jpg`);
  files['truncated.jpg'] = wall.subarray(0, 9000);
  files['text.png'] = Buffer.from('this is text, not a PNG\n');
  files['bomb.png'] = bomb;
  files['big.jpg'] = Buffer.concat([wall, Buffer.alloc(40 * 1024 * 1024)]);
  files['crypto.png'] = await QRCode.toBuffer('bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT', { width: 300 });
  server = createServer((req, res) => {
    const body = files[(req.url ?? '').slice(1)];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' });
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const home = tmpHome();
  handle = await openDb({ dir: 'memory://' });
  ctx = {
    db: handle.db,
    blobs: fileBlobStore(join(home, 'blobs')),
    config: loadConfig({ DOZOR_HOME: home, DOZOR_ALLOW_PRIVATE: '1' }),
    rules: undefined as unknown as StageContext['rules'],
    log: () => {},
  };
});

afterAll(async () => {
  await closeSharedDecodePool();
  await handle?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('qrStage', () => {
  it('records codes of good images and an error against each bad one, and goes on', async () => {
    const names = ['truncated.jpg', 'wall.jpg', 'text.png', 'bomb.png', 'big.jpg', 'two.jpg', 'crypto.png'];
    const [page] = await ctx.db
      .insert(pages)
      .values({
        url: `${origin}/page`,
        finalUrl: `${origin}/page`,
        status: 200,
        headers: {},
        bodySha256: 'x',
        bodySize: 0,
        fetchedAt: new Date(),
      })
      .returning();
    const [listing] = await ctx.db
      .insert(listings)
      .values({
        pageId: page!.id,
        permalink: `${origin}/page#1`,
        text: 'post',
        textSha256: 'y',
        links: [],
        imageUrls: names.map((n) => `${origin}/${n}`),
      })
      .returning();
    const started = Date.now();
    const r = await qrStage(ctx, { listingId: listing!.id });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r).toMatchObject({ read: 3, errors: 4, codes: 4 });
    expect(r.discovered.map((d) => d.url)).toEqual([
      'https://t.me/s/hidden_stash',
      'https://t.me/s/first_store',
    ]);

    const rows = await ctx.db.select().from(listingImages).where(eq(listingImages.listingId, listing!.id));
    const errorOf = (n: string) => rows.find((x) => x.url.endsWith(`/${n}`))?.error;
    for (const bad of ['truncated.jpg', 'text.png', 'bomb.png', 'big.jpg'])
      expect(errorOf(bad), bad).toBeTruthy();
    expect(errorOf('bomb.png')).toMatch(/pixels|limit/);
    for (const good of ['wall.jpg', 'two.jpg', 'crypto.png']) expect(errorOf(good), good).toBeNull();

    const codes = await ctx.db.select().from(qrCodes);
    expect(codes.find((c) => c.text.startsWith('bitcoin:'))).toMatchObject({ kind: 'crypto', target: null });
    expect(codes.every((c) => c.position?.length === 4)).toBe(true);
  });
});
