import { ForbiddenError, UnauthorizedError } from '../errors/domain-errors';
import {
  assertCaller,
  type Caller,
  canAccessOwned,
  hasFullAccess,
  scopeToOwner,
  SYSTEM_PRINCIPAL,
  userIdOf,
} from './access';
import type { Principal } from './public.decorator';

const principal = (role: Principal['role'], userId = 'u-1'): Principal => ({
  userId,
  email: `${userId}@example.com`,
  role,
  jti: 'jti',
  exp: 0,
});

describe('access rules', () => {
  const user = principal('user');
  const admin = principal('admin', 'a-1');

  describe('a user principal', () => {
    it('owns its rows and nobody else’s', () => {
      expect(canAccessOwned(user, 'u-1')).toBe(true);
      expect(canAccessOwned(user, 'u-2')).toBe(false);
      expect(hasFullAccess(user)).toBe(false);
      expect(userIdOf(user)).toBe('u-1');
    });

    it('lists only its own rows; asking for someone else’s is 403', () => {
      expect(scopeToOwner(user)).toBe('u-1');
      expect(scopeToOwner(user, 'u-1')).toBe('u-1');
      expect(() => scopeToOwner(user, 'u-2')).toThrow(ForbiddenError);
    });

    it('an admin sees anyone’s, or everyone’s', () => {
      expect(canAccessOwned(admin, 'u-2')).toBe(true);
      expect(scopeToOwner(admin, 'u-2')).toBe('u-2');
      expect(scopeToOwner(admin)).toBeUndefined();
    });
  });

  describe('the system principal', () => {
    it('is passed on purpose and has full access, without a user id', () => {
      expect(hasFullAccess(SYSTEM_PRINCIPAL)).toBe(true);
      expect(canAccessOwned(SYSTEM_PRINCIPAL, 'u-2')).toBe(true);
      expect(scopeToOwner(SYSTEM_PRINCIPAL, 'u-2')).toBe('u-2');
      expect(scopeToOwner(SYSTEM_PRINCIPAL)).toBeUndefined();
      expect(userIdOf(SYSTEM_PRINCIPAL)).toBeNull();
    });

    it('cannot be forged: a look-alike object (e.g. from a token or a body) is refused', () => {
      expect(Object.isFrozen(SYSTEM_PRINCIPAL)).toBe(true);
      const forged = JSON.parse(JSON.stringify(SYSTEM_PRINCIPAL)) as Caller;
      expect(() => hasFullAccess(forged)).toThrow(UnauthorizedError);
      expect(() => scopeToOwner({ ...SYSTEM_PRINCIPAL } as Caller)).toThrow(UnauthorizedError);
    });
  });

  describe('neither a user nor the system', () => {
    const missing = [undefined, null, {}, { userId: 'u-1', role: 'system' }, { role: 'admin' }];

    it.each(missing)('refuses %p (401), never treats it as an admin', (caller) => {
      const anyone = caller as unknown as Caller;
      expect(() => assertCaller(anyone)).toThrow(UnauthorizedError);
      expect(() => canAccessOwned(anyone, 'u-1')).toThrow(UnauthorizedError);
      expect(() => scopeToOwner(anyone)).toThrow(UnauthorizedError);
      expect(() => scopeToOwner(anyone, 'u-2')).toThrow(UnauthorizedError);
      expect(() => hasFullAccess(anyone)).toThrow(UnauthorizedError);
      expect(() => userIdOf(anyone)).toThrow(UnauthorizedError);
    });
  });
});
