/**
 * The review console over app.request() on PGlite: log-in, the SQL queue, independent second
 * review, roles, CSRF and origin checks, admin pages, the dashboard and languages.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBundles } from '../../bench/console.ts';
import { type DbHandle, openDb } from '../../db/client.ts';
import { custodyEvents, sources } from '../../db/schema.ts';
import { bundlesWithStatus, nextForReview } from '../../src/review/queue.ts';
import { statusesOf } from '../../src/review/review.ts';
import { ruleStats } from '../../src/review/stats.ts';
import { addUser } from '../../src/review/users.ts';
import { createConsole } from '../../src/web/app.ts';

let handle: DbHandle;
let app: ReturnType<typeof createConsole>;
const N = 40;
const blobs = { get: async () => Buffer.alloc(0), put: async () => '' };

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers,
});
async function login(name: string, role: string) {
  const password = await addUser(handle.db, name, role);
  const res = await app.request('/login', form({ name, password }));
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await app.request('/dashboard', { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf, headers: { cookie } };
}

beforeAll(async () => {
  handle = await openDb({ dir: 'memory://' });
  await seedBundles(handle.db, { n: N, shops: 4, mine: 8, reviewer: 'vika' });
  app = createConsole({ db: handle.db, blobs, confirmations: 2 });
});
afterAll(() => handle.close());

describe('status in SQL', () => {
  it('derives the same status as statusOf for every bundle', async () => {
    await handle.db.execute(sql`insert into reviews (bundle_id, reviewer, decision)
      values (substr(md5('b3'), 1, 16), 'r1', 'escalate'), (substr(md5('b7'), 1, 16), 'r9', 'dismiss'),
             (substr(md5('b7'), 1, 16), 'r9', 'confirm')`);
    const rows = await bundlesWithStatus(handle.db, 2, { limit: 1000 });
    expect(rows).toHaveLength(N);
    const expected = await statusesOf(
      handle.db,
      rows.map((r) => r.id),
      2,
    );
    for (const r of rows) expect(r.status).toBe(expected.get(r.id));
    expect(new Set(rows.map((r) => r.status))).toEqual(
      new Set(['new', 'in_review', 'confirmed', 'dismissed', 'escalated']),
    );
  });

  it('picks the newest open bundle the reviewer has not decided, and moves with after/before', async () => {
    const open = (await bundlesWithStatus(handle.db, 2, { limit: 1000 })).filter(
      (r) => r.status === 'new' || r.status === 'in_review',
    );
    expect(await nextForReview(handle.db, 'nobody', 2)).toBe(open[0]!.id);
    expect(await nextForReview(handle.db, 'nobody', 2, { after: open[0]!.id })).toBe(open[1]!.id);
    expect(await nextForReview(handle.db, 'nobody', 2, { before: open[1]!.id })).toBe(open[0]!.id);
    // walking vika's queue visits every open bundle except the ones she decided
    const vikas = new Set(
      (
        (await handle.db.execute(sql`select bundle_id from reviews where reviewer = 'vika'`)) as unknown as {
          rows: { bundle_id: string }[];
        }
      ).rows.map((r) => r.bundle_id),
    );
    const walked: string[] = [];
    for (let id = await nextForReview(handle.db, 'vika', 2); id; ) {
      walked.push(id);
      id = await nextForReview(handle.db, 'vika', 2, { after: id });
    }
    expect(vikas.size).toBeGreaterThan(0);
    expect(walked).toEqual(open.map((r) => r.id).filter((id) => !vikas.has(id)));
  });
});

describe('console', () => {
  it('logs in with HttpOnly SameSite cookies and a strict CSP without inline script', async () => {
    await addUser(handle.db, 'olga', 'volunteer');
    expect((await app.request('/login', form({ name: 'olga', password: 'wrong' }))).status).toBe(401);
    const page = await app.request('/login');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const body = await page.text();
    expect(body).not.toMatch(/<script(?![^>]*src="\/static\/console\.js")/);
    expect(body).not.toMatch(/ style=| on[a-z]+=/);
    const js = await app.request('/static/console.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain("case 'j'");
  });

  it('rate-limits log-in attempts per name', async () => {
    await addUser(handle.db, 'petr', 'volunteer');
    const codes = [];
    for (let i = 0; i < 6; i++)
      codes.push((await app.request('/login', form({ name: 'petr', password: 'x' }))).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('hides earlier decisions until you decide; a second volunteer confirms; CSRF and origin are checked', async () => {
    const a = await login('anya', 'volunteer');
    const b = await login('boris', 'volunteer');
    const q = await app.request('/queue', { headers: a.headers });
    const path = q.headers.get('location')!;
    const id = path.split('/').at(-1)!;
    const before = await (await app.request(path, { headers: a.headers })).text();
    expect(before).toContain('data-key="c"');
    expect(before).not.toMatch(/<td>r1<\/td>/);
    const review = (who: typeof a, fields: Record<string, string>, headers = {}) =>
      app.request(`/bundles/${id}/review`, form(fields, { ...who.headers, ...headers }));
    expect((await review(a, { decision: 'confirm' })).status).toBe(403);
    expect((await review(a, { decision: 'confirm', csrf: b.csrf })).status).toBe(403);
    expect(
      (await review(a, { decision: 'confirm', csrf: a.csrf }, { origin: 'http://evil.example' })).status,
    ).toBe(403);
    const done = await review(a, { decision: 'confirm', csrf: a.csrf, note: 'цены <b>и</b> закладки' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/queue?after=${id}`);
    const after = await (await app.request(path, { headers: a.headers })).text();
    expect(after).toContain('<td>anya</td>');
    expect(after).toContain('цены &#60;b&#62;и&#60;/b&#62; закладки');
    expect((await review(b, { decision: 'confirm', csrf: b.csrf })).status).toBe(303);
    const [status] = (await bundlesWithStatus(handle.db, 2, { limit: 1000 })).filter((r) => r.id === id);
    expect(status!.status).toBe('confirmed');
    const events = await handle.db.select().from(custodyEvents).where(eq(custodyEvents.chain, id));
    expect(events.map((e) => [e.event, e.actor])).toEqual([
      ['reviewed', 'anya'],
      ['reviewed', 'boris'],
    ]);
  });

  it('gives volunteers 403 on exports and admin pages', async () => {
    const v = await login('vasya', 'volunteer');
    expect((await app.request('/exports', { headers: v.headers })).status).toBe(403);
    expect((await app.request('/exports', form({ csrf: v.csrf }, v.headers))).status).toBe(403);
    expect((await app.request('/admin/sources', { headers: v.headers })).status).toBe(403);
    expect(
      (await app.request('/admin/users', form({ csrf: v.csrf, name: 'x1', role: 'admin' }, v.headers)))
        .status,
    ).toBe(403);
    const l = await login('lena', 'liaison');
    const page = await app.request('/exports', { headers: l.headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/exports"');
  });

  it('lets an admin add and pause sources and add users, each a custody event', async () => {
    const a = await login('adil', 'admin');
    const added = await app.request(
      '/admin/sources',
      form({ csrf: a.csrf, url: 'https://t.me/New_Channel', every: '1h' }, a.headers),
    );
    expect(added.status).toBe(200);
    const [row] = await handle.db.select().from(sources).where(eq(sources.url, 'https://t.me/s/new_channel'));
    expect(row).toMatchObject({ kind: 'telegram', everySeconds: 3600, enabled: true });
    const paused = await app.request(
      `/admin/sources/${row!.id}/enabled`,
      form({ csrf: a.csrf, enabled: 'false' }, a.headers),
    );
    expect(paused.status).toBe(303);
    const [after] = await handle.db.select().from(sources).where(eq(sources.id, row!.id));
    expect(after!.enabled).toBe(false);
    const users = await (
      await app.request('/admin/users', form({ csrf: a.csrf, name: 'zhanna', role: 'liaison' }, a.headers))
    ).text();
    const password = /class="secret">([a-z2-9-]+)</.exec(users)![1]!;
    expect((await app.request('/login', form({ name: 'zhanna', password }))).status).toBe(303);
    const global = await handle.db.select().from(custodyEvents).where(eq(custodyEvents.chain, 'global'));
    expect(global.map((e) => [e.event, e.actor])).toEqual(
      expect.arrayContaining([
        ['source_added', 'adil'],
        ['source_paused', 'adil'],
        ['user_added', 'adil'],
      ]),
    );
    const rules = await app.request('/admin/rules', { headers: a.headers });
    expect(rules.status).toBe(200);
    expect(await rules.text()).toMatch(/<code>ru\.[a-z.-]+<\/code>/);
  });

  it('counts rule hits and the share of flags reviewers dismissed', async () => {
    const stats = await ruleStats(handle.db, 2);
    const meph = stats.get('ru.substance.mephedrone')!;
    const all = await bundlesWithStatus(handle.db, 2, { limit: 1000 });
    expect(meph.hits).toBe(N);
    expect(meph.dismissed).toBe(all.filter((r) => r.status === 'dismissed').length);
    expect(meph.confirmed).toBe(all.filter((r) => r.status === 'confirmed').length);
  });

  it('draws the dashboard as inline SVG and speaks Kazakh, Russian or English', async () => {
    const v = await login('dana', 'volunteer');
    const kk = await app.request('/dashboard?lang=kk', { headers: v.headers });
    expect(kk.headers.get('set-cookie')).toMatch(/lang=kk.*HttpOnly/i);
    const body = await kk.text();
    expect(body).toContain('Күніне белгіленгені');
    expect((body.match(/<svg class="chart"/g) ?? []).length).toBe(4);
    expect(body).not.toMatch(/ style=/);
    const en = await (
      await app.request('/dashboard', { headers: { ...v.headers, 'accept-language': 'en-GB,en;q=0.8' } })
    ).text();
    expect(en).toContain('Flagged per day');
    const ru = await (await app.request('/dashboard', { headers: v.headers })).text();
    expect(ru).toContain('Отмечено за день');
  });
});
