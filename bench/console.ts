/**
 * The triage page's server time with 100 000 bundles: bulk SQL fills a fresh PGlite database
 * (sources, pages, listings, detections, bundles, artifacts, reviews), then the console is called
 * with app.request() (no network): GET /queue (picks the next bundle) and GET /bundles/:id (renders it).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { openDb } from '../db/client.ts';
import type { BlobStore } from '../src/capture/blobs.ts';
import { addUser } from '../src/review/users.ts';
import { listShops } from '../src/shops/shop-queries.ts';
import { createConsole } from '../src/web/app.ts';

const TEXT = 'Меф 9000₸ закладки @shop';
const MATCHES = JSON.stringify([
  { rule: 'ru.substance.mephedrone', category: 'substance', start: 0, end: 3, text: 'Меф' },
  { rule: 'ru.price.tenge', category: 'price', start: 4, end: 9, text: '9000₸' },
  { rule: 'ru.delivery.dead-drop', category: 'delivery', start: 10, end: 18, text: 'закладки' },
]);

/**
 * Fills an empty database with `n` flagged listings and their bundles (newest first: bundle 1 is
 * the newest), in `shops` channels. Reviews by r1 and r2: a quarter confirmed, a quarter dismissed,
 * a quarter in review (r1 confirmed), a quarter new. Among the newest `mine` bundles, `reviewer` confirmed the new ones (which stay
 * open, waiting for someone else) and dismissed the ones in review (now escalated), so none of the
 * newest `mine` is in that reviewer's queue: it has to skip them all.
 */
export async function seedBundles(
  db: Db,
  opts: { n: number; shops?: number; mine?: number; reviewer?: string },
): Promise<void> {
  const n = opts.n;
  const shops = opts.shops ?? Math.max(1, Math.floor(n / 20));
  const pages = Math.max(1, Math.floor(n / 10));
  await db.execute(sql`insert into sources (url, kind, label)
    select 'https://t.me/s/shop' || i, 'telegram', 'shop ' || i from generate_series(1, ${shops}) i`);
  await db.execute(sql`insert into pages (source_id, url, final_url, status, headers, body_sha256, body_size, fetched_at)
    select 1 + i % ${shops}, 'https://t.me/s/shop' || (1 + i % ${shops}) || '?before=' || i,
      'https://t.me/s/shop' || (1 + i % ${shops}) || '?before=' || i, 200, '{}'::jsonb,
      md5('p' || i) || md5('q' || i), 4096, now() from generate_series(1, ${pages}) i`);
  await db.execute(sql`insert into listings (page_id, source_id, permalink, text, text_sha256, links, image_urls, created_at)
    select 1 + i % ${pages}, 1 + (i % ${pages}) % ${shops}, 'https://t.me/shop' || (1 + (i % ${pages}) % ${shops}) || '/' || i,
      ${TEXT} || (1 + (i % ${pages}) % ${shops}) || '_bot ' ||
        (select string_agg(substr(md5(i || '.' || k), 1, 3 + k % 5), ' ') from generate_series(1, 30) k), md5('t' || i) || md5('u' || i), '[]'::jsonb, '[]'::jsonb,
      now() - make_interval(mins => i) from generate_series(1, ${n}) i`);
  await db.execute(sql`insert into detections (listing_id, rule_pack_version, verdict, score, flagged, matches, created_at)
    select i, 'bench', 'shop', 7.5, true, ${MATCHES}::jsonb, now() - make_interval(mins => i) from generate_series(1, ${n}) i`);
  await db.execute(sql`insert into bundles (id, listing_id, detection_id, created_at)
    select substr(md5('b' || i), 1, 16), i, i, now() - make_interval(mins => i) from generate_series(1, ${n}) i`);
  await db.execute(sql`insert into artifacts (bundle_id, name, sha256, size, mime)
    select substr(md5('b' || i), 1, 16), f.name, md5(f.name || i) || md5(i || f.name), 1000, f.mime
    from generate_series(1, ${n}) i cross join (values ('bundle.json', 'application/json'), ('page.html', 'text/html'),
      ('screenshot.png', 'image/png'), ('text.txt', 'text/plain')) f(name, mime)`);
  await db.execute(sql`insert into reviews (bundle_id, reviewer, decision, created_at)
    select substr(md5('b' || i), 1, 16), r.name, case when i % 4 = 1 then 'dismiss' else 'confirm' end, now()
    from generate_series(1, ${n}) i cross join (values ('r1'), ('r2')) r(name)
    where i % 4 in (0, 1) or (i % 4 = 2 and r.name = 'r1')`);
  if (opts.mine) {
    await db.execute(sql`insert into reviews (bundle_id, reviewer, decision, created_at)
      select substr(md5('b' || i), 1, 16), ${opts.reviewer ?? 'me'}, case when i % 4 = 3 then 'confirm' else 'dismiss' end, now()
      from generate_series(1, ${opts.mine}) i where i % 4 in (2, 3)`);
  }
}

const noBlobs: BlobStore = { get: async () => Buffer.alloc(0), put: async () => '' };

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1) };
};

/** Runs the benchmark on `n` bundles; `runs` page loads per scenario. */
export async function benchConsole(n = 100_000, runs = 40) {
  const handle = await openDb({ dir: 'memory://' });
  const db = handle.db;
  let t = performance.now();
  await seedBundles(db, { n, mine: Math.floor(n / 5), reviewer: 'deep' });
  const seedS = (performance.now() - t) / 1000;
  const app = createConsole({ db, blobs: noBlobs, confirmations: 2 });
  const cookies: Record<string, string> = {};
  for (const name of ['fresh', 'deep']) {
    const password = await addUser(db, name, 'volunteer');
    const res = await app.request('/login', {
      method: 'POST',
      body: new URLSearchParams({ name, password }),
    });
    cookies[name] = res.headers.get('set-cookie')!.split(';')[0]!;
  }
  t = performance.now();
  let shopIndex = 'ok';
  try {
    shopIndex = `${(await listShops(db)).length} shops`;
  } catch (err) {
    shopIndex = `failed: ${(err as Error).message.split('\n')[0]!.slice(0, 60)}…`;
  }
  const shopsS = (performance.now() - t) / 1000;
  for (let i = 0; i < 3; i++) {
    // warm-up (and the console's own shop index build, bounded by its wait)
    const q = await app.request('/queue', { headers: { cookie: cookies.fresh! } });
    await app.request(q.headers.get('location')!, { headers: { cookie: cookies.fresh! } });
  }

  const rows: object[] = [
    { bench: `console: seed ${n} bundles (bulk SQL, PGlite)`, seconds: +seedS.toFixed(1) },
  ];
  rows.push({
    bench: `console: shop index (listShops) over ${n} flagged listings: ${shopIndex}`,
    seconds: +shopsS.toFixed(1),
  });
  for (const [who, what] of [
    ['fresh', 'volunteer with no decisions'],
    ['deep', `volunteer whose queue must skip the newest ${n / 5} bundles`],
  ] as const) {
    const queue: number[] = [];
    const view: number[] = [];
    let id = '';
    for (let i = 0; i < runs; i++) {
      const headers = { cookie: cookies[who]! };
      let s = performance.now();
      const q = await app.request('/queue', { headers });
      queue.push(performance.now() - s);
      id = q.headers.get('location') ?? '';
      if (!id.startsWith('/bundles/')) throw new Error(`queue gave no bundle: ${q.status}`);
      s = performance.now();
      const page = await app.request(id, { headers });
      await page.text();
      view.push(performance.now() - s);
      if (page.status !== 200) throw new Error(`bundle page: ${page.status}`);
    }
    const total = queue.map((q, i) => q + view[i]!);
    rows.push({
      bench: `console: GET /queue, ${what}`,
      'median ms': stats(queue).median,
      'p95 ms': stats(queue).p95,
    });
    rows.push({
      bench: 'console: GET /bundles/:id (triage page)',
      'median ms': stats(view).median,
      'p95 ms': stats(view).p95,
    });
    rows.push({
      bench: 'console: queue + page',
      'median ms': stats(total).median,
      'p95 ms': stats(total).p95,
    });
  }
  await handle.close();
  return rows;
}
