import { ForbiddenError } from '../errors/domain-errors';
import type { Principal } from './public.decorator';

/**
 * Ownership rules shared by "self or admin" routes. The global auth guard puts the principal on every
 * authenticated request; a missing principal only happens on routes the guard let through unauthenticated.
 */
export function canAccessOwned(principal: Principal | undefined, ownerId: string): boolean {
  return !principal || principal.role === 'admin' || principal.userId === ownerId;
}

/**
 * The user a list is limited to: a non-admin always sees only their own rows (asking for someone else's is
 * 403); an admin (or an unauthenticated internal caller) sees `requested`, or everyone when it is absent.
 */
export function scopeToOwner(principal: Principal | undefined, requested?: string): string | undefined {
  if (!principal || principal.role === 'admin') return requested;
  if (requested !== undefined && requested !== principal.userId) throw new ForbiddenError();
  return principal.userId;
}
