/**
 * The review console: log-in, the triage queue, bundle pages and review decisions. Everything
 * scraped is escaped; captured HTML is never rendered, only offered as a download.
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import type { BlobStore } from '../capture/blobs.ts';
import { getBundle, listBundles } from '../review/bundle-queries.ts';
import { DECISIONS, recordReview } from '../review/review.ts';
import { type AuthEnv, checkLogin, endSession, loginLimiter, requireUser, startSession } from './auth.ts';
import { highlight, html } from './html.ts';
import { type Lang, pickLang, t } from './i18n.ts';
import { CONSOLE_CSS, page } from './layout.ts';
import { registerShopRoutes } from './shop-routes.ts';

/** What the console needs. */
export interface ConsoleDeps {
  db: Db;
  blobs: BlobStore;
  confirmations: number;
}

const CSP =
  "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Builds the console app; call `app.fetch` or `app.request` (tests). */
export function createConsole(deps: ConsoleDeps) {
  const app = new Hono<AuthEnv & { Variables: { lang: Lang } }>();
  const limiter = loginLimiter();

  app.use(async function securityHeaders(c, next) {
    const chosen = c.req.query('lang');
    if (chosen) setCookie(c, 'lang', chosen, { sameSite: 'Strict', path: '/', httpOnly: true });
    c.set('lang', pickLang(chosen ?? getCookie(c, 'lang'), c.req.header('accept-language')));
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });

  app.get('/static/console.css', (c) =>
    c.body(CONSOLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' }),
  );

  const loginForm = (lang: Lang, error?: string) =>
    page(
      lang,
      t(lang, 'login'),
      html`<form class="card" method="post" action="/login">
${error ? html`<p class="error">${error}</p>` : ''}
<label>${t(lang, 'name')} <input name="name" autocomplete="username" required></label>
<label>${t(lang, 'password')} <input name="password" type="password" autocomplete="current-password" required></label>
<p><button>${t(lang, 'login')}</button></p></form>`,
    );
  app.get('/login', (c) => c.html(loginForm(c.get('lang'))));
  app.post('/login', async (c) => {
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const name = String(form.name ?? '').slice(0, 100);
    const key = `${c.req.header('x-forwarded-for') ?? 'local'}|${name}`;
    if (limiter.blocked(key)) return c.html(loginForm(lang, t(lang, 'tooMany')), 429);
    const user = await checkLogin(deps.db, name, String(form.password ?? '').slice(0, 200));
    if (!user) {
      limiter.fail(key);
      return c.html(loginForm(lang, t(lang, 'badLogin')), 401);
    }
    limiter.reset(key);
    await startSession(c, deps.db, user);
    return c.redirect('/queue', 303);
  });

  const auth = requireUser(deps.db);
  app.post('/logout', auth, async (c) => {
    await endSession(c, deps.db);
    return c.redirect('/login', 303);
  });
  app.get('/', (c) => c.redirect('/queue', 303));

  app.get('/queue', auth, async (c) => {
    const user = c.get('user');
    const mine = deps.db
      .select({ id: reviews.bundleId })
      .from(reviews)
      .where(eq(reviews.reviewer, user.name));
    const open = await listBundles(deps.db, { confirmations: deps.confirmations });
    const reviewed = new Set((await mine).map((r) => r.id));
    const next = open
      .reverse()
      .find((b) => (b.status === 'new' || b.status === 'in_review') && !reviewed.has(b.id));
    if (next) return c.redirect(`/bundles/${next.id}`, 303);
    const lang = c.get('lang');
    return c.html(
      page(lang, t(lang, 'queue'), html`<p class="card">${t(lang, 'empty')}</p>`, {
        user: user.name,
        csrf: c.get('csrf'),
      }),
    );
  });

  app.get('/bundles', auth, async (c) => {
    const lang = c.get('lang');
    const rows = await listBundles(deps.db, { confirmations: deps.confirmations });
    const body = html`<div class="card"><table><tr><th>id</th><th>${t(lang, 'status')}</th><th>${t(lang, 'verdict')}</th><th>URL</th></tr>
${rows.map((b) => html`<tr><td><a href="/bundles/${b.id}">${b.id}</a></td><td>${b.status}</td><td>${b.verdict} ${b.score}</td><td>${b.url}</td></tr>`)}</table></div>`;
    return c.html(page(lang, t(lang, 'bundles'), body, { user: c.get('user').name, csrf: c.get('csrf') }));
  });

  app.get('/bundles/:id', auth, async (c) => {
    const lang = c.get('lang');
    const b = await getBundle(deps.db, c.req.param('id'), deps.confirmations);
    if (!b) return c.html(page(lang, t(lang, 'notFound'), html`<p>${t(lang, 'notFound')}</p>`), 404);
    const user = c.get('user');
    const decided = b.reviews.some((r) => r.reviewer === user.name);
    const body = html`<div class="card"><h1>${b.listing.permalink}</h1>
<p>${t(lang, 'source')}: ${b.source?.url ?? '—'} · ${t(lang, 'verdict')}: ${b.detection.verdict} (${b.detection.score})${decided ? html` · ${t(lang, 'status')}: ${b.status}` : ''}</p>
<h2>${t(lang, 'text')}</h2><pre>${highlight(b.listing.text, b.detection.matches)}</pre>
<h2>${t(lang, 'matches')}</h2><ul>${b.detection.matches.map((m) => html`<li><code>${m.rule}</code> «${m.text}»</li>`)}</ul></div>
<form class="card" method="post" action="/bundles/${b.bundle.id}/review"><input type="hidden" name="csrf" value="${c.get('csrf')}">
<label>${t(lang, 'note')} <textarea name="note" rows="2" maxlength="2000"></textarea></label>
<div class="actions">${DECISIONS.map((d) => html`<button class="${d}" name="decision" value="${d}">${t(lang, d)}</button>`)}</div>
${decided ? html`<p>${t(lang, 'decided')}</p>` : ''}</form>
<div class="card"><h2>${t(lang, 'screenshot')}</h2><img class="shot" alt="" src="/bundles/${b.bundle.id}/files/screenshot.png">
<h2>${t(lang, 'files')}</h2><table>${b.artifacts.map((a) => html`<tr><td><a href="/bundles/${b.bundle.id}/files/${a.name}">${a.name}</a></td><td><code>${a.sha256}</code></td></tr>`)}</table></div>`;
    return c.html(page(lang, b.bundle.id, body, { user: user.name, csrf: c.get('csrf') }));
  });

  app.post('/bundles/:id/review', auth, async (c) => {
    const form = await c.req.parseBody();
    await recordReview(deps.db, {
      bundleId: c.req.param('id'),
      user: c.get('user').name,
      decision: String(form.decision ?? ''),
      note: String(form.note ?? '').slice(0, 2000) || undefined,
      confirmations: deps.confirmations,
    });
    return c.redirect('/queue', 303);
  });

  app.get('/bundles/:id/files/*', auth, async (c) => {
    const b = await getBundle(deps.db, c.req.param('id'), deps.confirmations);
    const name = c.req.path.split('/files/')[1] ?? '';
    const a = b?.artifacts.find((x) => x.name === decodeURIComponent(name));
    if (!a) return c.text('not found', 404);
    const bytes = await deps.blobs.get(a.sha256);
    // Only our own screenshot is shown inline; every captured file is a download.
    const inline = a.name === 'screenshot.png';
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': inline ? 'image/png' : 'application/octet-stream',
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${a.name.replace(/[^\w.-]/g, '_')}"`,
    });
  });

  registerShopRoutes(app, deps, auth);

  app.onError((err, c) => {
    const status = err.name === 'DozorError' ? 400 : 500;
    return c.text(status === 400 ? err.message : 'internal error', status);
  });
  return app;
}
