/** Log-in, sessions (HttpOnly SameSite cookies stored in the database), CSRF tokens and rate limiting. */
import { randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../db/client.ts';
import { sessions, type User, users } from '../../db/schema.ts';
import { verifyPassword } from '../review/passwords.ts';

export const SESSION_COOKIE = 'dozor_session';
const SESSION_HOURS = 12;

/** Variables the middleware puts on the context. */
export type AuthEnv = { Variables: { user: User; csrf: string } };

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
      const form = await c.req.parseBody();
      if (form.csrf !== row.sessions.csrf) return c.text('CSRF token missing or wrong', 403);
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
