import { ForbiddenError, UnauthorizedError } from '../errors/domain-errors';
import type { Principal } from './public.decorator';

/** The process itself acting (jobs, the CLI), passed on purpose; never built from a request. */
export interface SystemPrincipal {
  readonly kind: 'system';
  readonly role: 'system';
}

/**
 * The one system principal. Callers are compared to it by identity, so no token, body or copy can pass
 * for it (a JWT's role is read from the database and is never `system` anyway).
 */
export const SYSTEM_PRINCIPAL: SystemPrincipal = Object.freeze({ kind: 'system', role: 'system' });

/** Who is asking a service: the signed-in user, or the system on purpose. */
export type Caller = Principal | SystemPrincipal;

export const isSystem = (caller: Caller): caller is SystemPrincipal => caller === SYSTEM_PRINCIPAL;

const isUser = (caller: unknown): caller is Principal =>
  typeof caller === 'object' &&
  caller !== null &&
  typeof (caller as Principal).userId === 'string' &&
  ['user', 'premium', 'admin'].includes((caller as Principal).role);

/** Fails closed: a service reached with neither a user nor the system principal refuses (401). */
export function assertCaller(caller: Caller | undefined): asserts caller is Caller {
  if (caller === SYSTEM_PRINCIPAL || isUser(caller)) return;
  throw new UnauthorizedError();
}

/** Sees and changes everything: an admin, or the system. */
export function hasFullAccess(caller: Caller): boolean {
  assertCaller(caller);
  return isSystem(caller) || caller.role === 'admin';
}

/** The user id of a user caller; null for the system. */
export function userIdOf(caller: Caller): string | null {
  assertCaller(caller);
  return isSystem(caller) ? null : caller.userId;
}

/** Ownership rule of "self or admin" reads and edits. */
export function canAccessOwned(caller: Caller, ownerId: string): boolean {
  return hasFullAccess(caller) || (caller as Principal).userId === ownerId;
}

/**
 * The user a list is limited to: a non-admin always sees only their own rows (asking for someone else's is
 * 403); an admin or the system sees `requested`, or everyone when it is absent.
 */
export function scopeToOwner(caller: Caller, requested?: string): string | undefined {
  if (hasFullAccess(caller)) return requested;
  const own = (caller as Principal).userId;
  if (requested !== undefined && requested !== own) throw new ForbiddenError();
  return own;
}
