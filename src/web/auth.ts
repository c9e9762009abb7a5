/** Log-in, sessions (HttpOnly SameSite cookies stored in the database), CSRF tokens and rate limiting. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../db/client.ts';
import { sessions, type User, users } from '../../db/schema.ts';
import { verifyPassword } from '../review/passwords.ts';
import { roleCan } from '../review/users.ts';
import { html } from './html.ts';
import { type Lang, t } from './i18n.ts';
import { page } from './layout.ts';

export const SESSION_COOKIE = 'dozor_session';
const SESSION_HOURS = 12;

/** Variables the middleware puts on the context. */
export type AuthEnv = { Variables: { user: User; csrf: string; lang: Lang } };

/** Creates a session for `user` and sets its cookie. */
export async function startSession(c: Context, db: Db, user: User): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db
    .insert(sessions)
    .values({ id, userId: user.id, csrf, expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000) });
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_HOURS * 3600,
  });
}

/** Ends the current session. */
export async function endSession(c: Context, db: Db): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await db.delete(sessions).where(eq(sessions.id, id));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** Checks a name and password; returns the user or undefined. */
export async function checkLogin(db: Db, name: string, password: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.name, name));
  if (!user) {
    await verifyPassword(password, 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA'); // same cost either way
    return undefined;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : undefined;
}

/** Requires a logged-in user (redirects to /login) and, on POST, a matching CSRF token. */
export function requireUser(db: Db): MiddlewareHandler<AuthEnv> {
  return async function requireUserMiddleware(c, next) {
    const id = getCookie(c, SESSION_COOKIE);
    const [row] = id
      ? await db
          .select()
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date())))
      : [];
    if (!row) return c.redirect('/login', 303);
    if (c.req.method === 'POST') {
      if (!sameOrigin(c)) return c.text('cross-site request refused', 403);
      const form = await c.req.parseBody();
      if (typeof form.csrf !== 'string' || !tokensEqual(form.csrf, row.sessions.csrf))
        return c.text('CSRF token missing or wrong', 403);
    }
    c.set('user', row.users);
    c.set('csrf', row.sessions.csrf);
    await next();
  };
}

/** Counts failed log-ins per key in a sliding window. */
export function loginLimiter(maxFailures = 5, windowMs = 5 * 60_000) {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => Date.now() - t < windowMs);
  return {
    blocked: (key: string) => recent(key).length >= maxFailures,
    fail: (key: string) => failures.set(key, [...recent(key), Date.now()]),
    reset: (key: string) => failures.delete(key),
  };
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * False when the browser says the request came from another site (Sec-Fetch-Site or an Origin
 * that is not this host); requests without those headers (CLI tools, tests) pass on to the token check.
 */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = c.req.header('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === (c.req.header('host') ?? new URL(c.req.url).host);
  } catch {
    return false; // "null" or garbage
  }
}

/** Lets the request through only when the logged-in user's role may do `action` (403 otherwise). */
export function requireRole(action: 'review' | 'export' | 'admin'): MiddlewareHandler<AuthEnv> {
  return async function requireRoleMiddleware(c, next) {
    const user = c.get('user');
    if (!roleCan(user.role, action)) {
      const lang = c.get('lang');
      const body = html`<p class="card error">${t(lang, 'forbidden')}: ${user.role} ≠ ${action}</p>`;
      return c.html(page(lang, t(lang, 'forbidden'), body, { user, csrf: c.get('csrf') }), 403);
    }
    await next();
  };
}
