/** Triage: the queue, the bundle list, one bundle, a decision, and the bundle's files. */
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Hono, MiddlewareHandler } from 'hono';
import { bundles, listings } from '../../db/schema.ts';
import { getBundle } from '../review/bundle-queries.ts';
import { bundlesWithStatus, nextForReview } from '../review/queue.ts';
import { recordReview } from '../review/review.ts';
import { type BundleStatus, STATUSES } from '../review/status.ts';
import type { ConsoleDeps } from './app.ts';
import type { AuthEnv } from './auth.ts';
import { bundleView } from './bundle-view.ts';
import { html } from './html.ts';
import { t } from './i18n.ts';
import { page } from './layout.ts';
import type { ShopCache } from './shop-cache.ts';

const BUNDLE_ID = /^[0-9a-f]{16}$/;
const SAFE_IMAGE = /^image\/(png|jpeg|gif|webp)$/;

/** Adds /queue, /bundles, /bundles/:id, /bundles/:id/review and /bundles/:id/files/* to the console. */
export function registerTriageRoutes(
  app: Hono<AuthEnv>,
  deps: ConsoleDeps,
  auth: MiddlewareHandler<AuthEnv>,
  shops: ShopCache,
): void {
  app.get('/queue', auth, async (c) => {
    const user = c.get('user');
    const after = c.req.query('after');
    const before = c.req.query('before');
    const cursor = {
      after: after && BUNDLE_ID.test(after) ? after : undefined,
      before: before && BUNDLE_ID.test(before) ? before : undefined,
    };
    const next =
      (await nextForReview(deps.db, user.name, deps.confirmations, cursor)) ??
      (cursor.after || cursor.before
        ? await nextForReview(deps.db, user.name, deps.confirmations)
        : undefined);
    if (next) return c.redirect(`/bundles/${next}`, 303);
    const lang = c.get('lang');
    return c.html(
      page(lang, t(lang, 'queue'), html`<p class="card">${t(lang, 'empty')}</p>`, {
        user,
        csrf: c.get('csrf'),
      }),
    );
  });

  app.get('/bundles', auth, async (c) => {
    const lang = c.get('lang');
    const wanted = c.req.query('status');
    const status = STATUSES.includes(wanted as BundleStatus) ? (wanted as BundleStatus) : undefined;
    const rows = await bundlesWithStatus(deps.db, deps.confirmations, { status, limit: 200 });
    const body = html`<div class="card"><p>${[undefined, ...STATUSES].map((s) => html`<a class="tag" href="/bundles${s ? `?status=${s}` : ''}">${s ? t(lang, s) : t(lang, 'total')}</a> `)}</p>
<div class="scroll"><table><tr><th>id</th><th>${t(lang, 'status')}</th><th>${t(lang, 'verdict')}</th><th>${t(lang, 'permalink')}</th><th>${t(lang, 'source')}</th></tr>
${rows.map((b) => html`<tr><td><a href="/bundles/${b.id}">${b.id}</a></td><td>${t(lang, b.status)}</td><td>${b.verdict} ${b.score.toFixed(1)}</td><td>${b.permalink}</td><td class="muted">${b.source ?? ''}</td></tr>`)}</table></div></div>`;
    return c.html(page(lang, t(lang, 'bundles'), body, { user: c.get('user'), csrf: c.get('csrf') }));
  });

  app.get('/bundles/:id', auth, async (c) => {
    const lang = c.get('lang');
    const b = await getBundle(deps.db, c.req.param('id'), deps.confirmations);
    const user = c.get('user');
    const viewer = { user, csrf: c.get('csrf') };
    if (!b)
      return c.html(
        page(lang, t(lang, 'notFound'), html`<p class="card">${t(lang, 'notFound')}</p>`, viewer),
        404,
      );
    const index = await shops.get();
    const shop = index ? (index.byBundle.get(b.bundle.id) ?? null) : undefined;
    const others = shop ? shop.bundles.filter((x) => x !== b.bundle.id).slice(0, 20) : [];
    const siblings = others.length
      ? await deps.db
          .select({ id: bundles.id, permalink: listings.permalink })
          .from(bundles)
          .innerJoin(listings, eq(listings.id, bundles.listingId))
          .where(and(inArray(bundles.id, others), ne(bundles.id, b.bundle.id)))
      : [];
    const decided = b.reviews.some((r) => r.reviewer === user.name);
    const body = bundleView({ lang, b, csrf: viewer.csrf, decided, shop, siblings });
    return c.html(page(lang, b.bundle.id, body, viewer));
  });

  app.post('/bundles/:id/review', auth, async (c) => {
    const form = await c.req.parseBody();
    const id = c.req.param('id');
    await recordReview(deps.db, {
      bundleId: id,
      user: c.get('user').name,
      decision: String(form.decision ?? ''),
      note:
        String(form.note ?? '')
          .trim()
          .slice(0, 2000) || undefined,
      confirmations: deps.confirmations,
    });
    return c.redirect(`/queue?after=${encodeURIComponent(id)}`, 303);
  });

  app.get('/bundles/:id/files/*', auth, async (c) => {
    const b = await getBundle(deps.db, c.req.param('id'), deps.confirmations);
    const name = decodeURIComponent(c.req.path.split('/files/')[1] ?? '');
    const a = b?.artifacts.find((x) => x.name === name);
    if (!a) return c.text('not found', 404);
    const bytes = await deps.blobs.get(a.sha256);
    // Our own screenshot and decoded raster images are shown inline; every other captured file
    // (page.html above all) is only ever a download, never rendered.
    const inline = a.name === 'screenshot.png' || (a.name.startsWith('images/') && SAFE_IMAGE.test(a.mime));
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': inline ? a.mime : 'application/octet-stream',
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${a.name.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'private, max-age=3600',
    });
  });
}
