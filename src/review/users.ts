/** Accounts: volunteers review, liaison officers review and export, admins steer. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type User, users } from '../../db/schema.ts';
import { DozorError } from '../config/errors.ts';
import { recordCustody } from '../custody/log.ts';
import { hashPassword, newPassword } from './passwords.ts';

export const ROLES = ['volunteer', 'liaison', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. */
const CAN: Record<string, Role[]> = {
  review: ['volunteer', 'liaison', 'admin'],
  export: ['liaison', 'admin'],
  admin: ['admin'],
};

/** Adds a user and returns the one-time password (shown once, stored only as a hash); `actor` is who added it. */
export async function addUser(db: Db, name: string, role: string, actor = 'dozor'): Promise<string> {
  if (!/^[\p{L}\p{N}._-]{2,40}$/u.test(name)) {
    throw new DozorError(`user name must be 2–40 letters, digits, dots, dashes or underscores: "${name}"`);
  }
  if (!ROLES.includes(role as Role))
    throw new DozorError(`role must be one of ${ROLES.join(', ')}, got "${role}"`);
  const password = newPassword();
  const inserted = await db
    .insert(users)
    .values({ name, role: role as Role, passwordHash: await hashPassword(password) })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (inserted.length === 0) throw new DozorError(`user "${name}" already exists`);
  await recordCustody(db, { chain: 'global', event: 'user_added', actor, data: { name, role } });
  return password;
}

/** The user allowed to do `action`, or a DozorError saying why not. */
export async function userWhoCan(db: Db, name: string, action: keyof typeof CAN): Promise<User> {
  const [user] = await db.select().from(users).where(eq(users.name, name));
  if (!user)
    throw new DozorError(`unknown user "${name}": add one with: dozor users add ${name} --role volunteer`);
  if (!CAN[action]!.includes(user.role)) {
    throw new DozorError(
      `user "${name}" is a ${user.role} and may not ${action}: that needs ${CAN[action]!.join(' or ')}`,
    );
  }
  return user;
}

/** Every user (without password hashes), by name. */
export function listUsers(db: Db) {
  return db
    .select({ id: users.id, name: users.name, role: users.role, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.name));
}

/** True when `role` may do `action`. */
export function roleCan(role: string, action: keyof typeof CAN): boolean {
  return CAN[action]!.includes(role as Role);
}
