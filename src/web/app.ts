/**
 * The review console: log-in, triage, shops, the dashboard, exports for liaison officers and the
 * admin pages. Everything scraped is escaped; captured HTML is never rendered, only downloaded.
 * Pages carry no inline script or style, so the CSP forbids both.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../db/client.ts';
import type { BlobStore } from '../capture/blobs.ts';
import type { Browser } from '../capture/browser.ts';
import type { SigningKey } from '../export/signing.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import {
  type AuthEnv,
  checkLogin,
  endSession,
  loginLimiter,
  requireUser,
  sameOrigin,
  startSession,
} from './auth.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { html } from './html.ts';
import { LANGS, type Lang, pickLang, t } from './i18n.ts';
import { page } from './layout.ts';
import { registerLiaisonRoutes } from './liaison-routes.ts';
import { shopCache } from './shop-cache.ts';
import { registerShopRoutes } from './shop-routes.ts';
import { registerTriageRoutes } from './triage-routes.ts';

/** What the console needs. */
export interface ConsoleDeps {
  db: Db;
  blobs: BlobStore;
  /** Distinct confirmations that make a bundle confirmed. @default 2 (DOZOR_CONFIRMATIONS) */
  confirmations: number;
  /** The packet signing key, loaded on the first export. */
  signingKey?: () => SigningKey;
  /** Starts a browser for the packet's PDF report; the console closes it after each export. */
  openBrowser?: () => Promise<Browser>;
  /** The rule pack folder shown read-only on /admin/rules. */
  rulesDir?: string;
}

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const STATIC_TYPES: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

/** The client's address for rate limiting (the socket's, never a header the client chooses). */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local'; // app.request() in tests has no socket
  }
}

/** Builds the console app; call `app.fetch` or `app.request` (tests). */
export function createConsole(deps: ConsoleDeps) {
  const app = new Hono<AuthEnv>();
  const byName = loginLimiter(5, 5 * 60_000);
  const byAddress = loginLimiter(30, 5 * 60_000);
  const shops = shopCache(deps.db);
  const assets = new Map(
    Object.keys(STATIC_TYPES).map((name) => [name, readFileSync(join(STATIC_DIR, name))] as const),
  );

  app.use(async function securityHeaders(c, next) {
    const chosen = c.req.query('lang');
    const valid = chosen && (LANGS as readonly string[]).includes(chosen) ? chosen : undefined;
    if (valid)
      setCookie(c, 'lang', valid, { sameSite: 'Strict', path: '/', httpOnly: true, maxAge: 365 * 86400 });
    c.set('lang', pickLang(valid ?? getCookie(c, 'lang'), c.req.header('accept-language')));
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin'); // nothing leaves; same-origin keeps Origin on forms
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
  });

  app.get('/static/:name', (c) => {
    const name = c.req.param('name');
    const body = assets.get(name);
    if (!body) return c.text('not found', 404);
    return c.body(new Uint8Array(body), 200, {
      'content-type': STATIC_TYPES[name]!,
      'cache-control': 'public, max-age=300',
    });
  });

  app.get('/favicon.ico', (c) => c.body(null, 204));

  const loginForm = (lang: Lang, error?: string) =>
    page(
      lang,
      t(lang, 'login'),
      html`<form class="card" method="post" action="/login">
${error ? html`<p class="error">${error}</p>` : ''}
<label>${t(lang, 'name')} <input name="name" autocomplete="username" required maxlength="40"></label>
<label>${t(lang, 'password')} <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
<p><button>${t(lang, 'login')}</button></p></form>`,
    );
  app.get('/login', (c) => c.html(loginForm(c.get('lang'))));
  app.post('/login', async (c) => {
    const lang = c.get('lang');
    if (!sameOrigin(c)) return c.text('cross-site request refused', 403);
    const form = await c.req.parseBody();
    const name = String(form.name ?? '').slice(0, 100);
    const keys = [`name|${name}`, `addr|${clientAddress(c)}`];
    if (byName.blocked(keys[0]!) || byAddress.blocked(keys[1]!))
      return c.html(loginForm(lang, t(lang, 'tooMany')), 429);
    const user = await checkLogin(deps.db, name, String(form.password ?? '').slice(0, 200));
    if (!user) {
      byName.fail(keys[0]!);
      byAddress.fail(keys[1]!);
      return c.html(loginForm(lang, t(lang, 'badLogin')), 401);
    }
    byName.reset(keys[0]!);
    await startSession(c, deps.db, user);
    return c.redirect('/queue', 303);
  });

  const auth = requireUser(deps.db);
  app.post('/logout', auth, async (c) => {
    await endSession(c, deps.db);
    return c.redirect('/login', 303);
  });
  app.get('/', (c) => c.redirect('/queue', 303));

  registerTriageRoutes(app, deps, auth, shops);
  registerShopRoutes(app, deps, auth, shops);
  registerDashboardRoutes(app, deps, auth, shops);
  registerLiaisonRoutes(app, deps, auth, shops);
  registerAdminRoutes(app, deps, auth);

  app.onError((err, c) => {
    const status = err.name === 'DozorError' ? 400 : 500;
    if (status === 500) process.stderr.write(`console: ${err.stack ?? err.message}\n`);
    return c.text(status === 400 ? err.message : 'internal error', status);
  });
  return app;
}
