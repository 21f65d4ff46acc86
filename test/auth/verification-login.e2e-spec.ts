import { UsersRepository } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import {
  lastEmailTo,
  login,
  registerVerified,
  registration,
  STRONG_PASSWORD,
  tokenFromEmail,
  uniqueEmail,
} from './helpers';

const HOUR = 3600 * 1000;
const MINUTE = 60 * 1000;

describe('email verification and login', () => {
  let t: TestApp;
  let users: UsersRepository;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-10T15:00:00Z' });
    users = t.app.get(UsersRepository);
  });
  afterAll(() => t.close());

  const register = async (overrides: Record<string, unknown> = {}) => {
    const body = registration(overrides);
    const res = await t.http().post('/api/v1/auth/register').send(body).expect(201);
    return { ...body, id: res.body.user_id as string, email: body.email as string };
  };
  const verify = (token: string) => t.http().post('/api/v1/auth/verify-email').send({ token });

  describe('Feature: Email Verification', () => {
    it('activates the user, stamps email_verified_at and sends the welcome email; the token is single use', async () => {
      const reg = await register();
      const token = await tokenFromEmail(t, reg.email, 'verify_token');
      t.clock.advance(23 * HOUR);
      const before = t.clock.now().getTime();
      await verify(token).expect(200);
      const after = t.clock.now().getTime();
      const user = await users.get(reg.id);
      expect(user).toMatchObject({ status: 'active', emailVerified: true });
      expect(user!.emailVerifiedAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(user!.emailVerifiedAt!.getTime()).toBeLessThanOrEqual(after);
      expect((await lastEmailTo(t, reg.email)).template).toBe('welcome');
      const again = await verify(token).expect(400);
      expect(again.body.detail).toBe('Invalid verification token');
    });

    it('refuses a token generated 25 hours ago; the user stays pending', async () => {
      const reg = await register();
      const token = await tokenFromEmail(t, reg.email, 'verify_token');
      t.clock.advance(25 * HOUR);
      const res = await verify(token).expect(400);
      expect(res.body.detail).toBe('Token expired, request new verification email');
      expect((await users.get(reg.id))!.status).toBe('pending');
    });

    it.each(['not-a-real-token', 'x'.repeat(43), ''])('refuses an invalid token %j', async (token) => {
      const res = await verify(token).expect(400);
      expect(res.body.detail).toBe('Invalid verification token');
    });

    it('resend-verification answers 202 for anyone; a new link replaces the old one', async () => {
      const reg = await register();
      const first = await tokenFromEmail(t, reg.email, 'verify_token');
      await t.http().post('/api/v1/auth/resend-verification').send({ email: reg.email }).expect(202);
      const second = await tokenFromEmail(t, reg.email, 'verify_token');
      expect(second).not.toBe(first);
      expect((await verify(first).expect(400)).body.detail).toBe('Invalid verification token');
      await verify(second).expect(200);
      const unknown = uniqueEmail('nobody');
      const res = await t
        .http()
        .post('/api/v1/auth/resend-verification')
        .send({ email: unknown })
        .expect(202);
      const known = await t
        .http()
        .post('/api/v1/auth/resend-verification')
        .send({ email: reg.email })
        .expect(202);
      expect(res.body).toEqual(known.body);
      expect(await lastEmailTo(t, unknown)).toBeUndefined();
    });
  });

  describe('Feature: User Login', () => {
    it('issues a 30-minute access token and a 7-day refresh token and sets last_login_at', async () => {
      const { email } = await registerVerified(t);
      const before = t.clock.now().getTime();
      const res = await login(t, email).expect(200);
      const after = t.clock.now().getTime();
      expect(res.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 1800,
        refresh_expires_in: 604800,
      });
      const [header, payload] = res.body.access_token
        .split('.')
        .slice(0, 2)
        .map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header.alg).toBe('RS256');
      expect(Object.keys(payload).sort()).toEqual(['email', 'exp', 'iat', 'jti', 'role', 'sub']);
      expect(payload.exp - payload.iat).toBe(1800);
      expect(payload.iat).toBeGreaterThanOrEqual(Math.floor(before / 1000));
      expect(payload.iat).toBeLessThanOrEqual(Math.floor(after / 1000));
      expect(res.headers['set-cookie'][0]).toMatch(/^refresh_token=.+HttpOnly/i);
      const user = await users.findByEmail(email);
      expect(user!.lastLoginAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(user!.lastLoginAt!.getTime()).toBeLessThanOrEqual(after);
    });

    it('refuses a wrong password (401) without issuing tokens and counts the failure', async () => {
      const { email } = await registerVerified(t);
      const res = await login(t, email, 'Wrong-Passw0rd!').expect(401);
      expect(res.body.detail).toBe('Invalid email or password');
      expect(res.body.access_token).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await users.findByEmail(email))!.failedLoginCount).toBe(1);
    });

    it('answers an unknown email exactly like a wrong password, spending the same bcrypt work', async () => {
      const { email } = await registerVerified(t);
      const unknown = await login(t, uniqueEmail('nonexistent')).expect(401);
      const wrong = await login(t, email, 'Wrong-Passw0rd!').expect(401);
      expect(unknown.body.detail).toBe(wrong.body.detail);
      expect(unknown.body.title).toBe(wrong.body.title);
      // Timing is what an attacker measures, but a stopwatch cannot tell the paths apart at the tests'
      // bcrypt cost. Observe the work instead: each path runs exactly one comparison against a hash of
      // the configured cost (the cost is the hash's `$2b$NN$` prefix), so both take the same time.
      // The module object PasswordHasher calls through (a namespace import would be a read-only copy).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const compare = jest.spyOn(require('bcrypt') as typeof import('bcrypt'), 'compare');
      try {
        const comparedHashes = async (who: string) => {
          compare.mockClear();
          await login(t, who, 'Wrong-Passw0rd!').expect(401);
          return compare.mock.calls.map(([, hash]) => String(hash).slice(0, 7));
        };
        const cost = `$2b$${String(process.env.BCRYPT_COST).padStart(2, '0')}$`;
        expect(await comparedHashes(email)).toEqual([cost]);
        expect(await comparedHashes(uniqueEmail('ghost'))).toEqual([cost]);
      } finally {
        compare.mockRestore();
      }
    });

    it('refuses an unverified account (403) with the correct password', async () => {
      const reg = await register();
      const res = await login(t, reg.email).expect(403);
      expect(res.body.detail).toBe('Email not verified, check inbox');
      expect(res.body.access_token).toBeUndefined();
    });

    it('is case-insensitive on the email', async () => {
      const { email } = await registerVerified(t);
      await login(t, ` ${email.toUpperCase()}`).expect(200);
    });
  });

  describe('Feature: account lockout', () => {
    it('locks on the 5th failure within 15 minutes, stays locked (even for the right password), unlocks after 15', async () => {
      const { email } = await registerVerified(t);
      for (let i = 1; i <= 4; i++) {
        await login(t, email, 'Wrong-Passw0rd!').expect(401);
        t.clock.advance(MINUTE);
      }
      const fifth = await login(t, email, 'Wrong-Passw0rd!').expect(429);
      expect(fifth.body.detail).toBe('Account temporarily locked, try again in 15 minutes');
      expect(fifth.headers['retry-after']).toBe('900');

      t.clock.advance(14 * MINUTE);
      const still = await login(t, email, STRONG_PASSWORD).expect(429);
      expect(still.body.detail).toBe('Account temporarily locked, try again in 15 minutes');
      expect(Number(still.headers['retry-after'])).toBe(60);

      t.clock.advance(MINUTE);
      await login(t, email, STRONG_PASSWORD).expect(200);
      expect((await users.findByEmail(email))!).toMatchObject({ failedLoginCount: 0, lockedUntil: null });
    });

    it('does not lock when the failures are spread over more than 15 minutes', async () => {
      const { email } = await registerVerified(t);
      for (let i = 1; i <= 4; i++) {
        await login(t, email, 'Wrong-Passw0rd!').expect(401);
        t.clock.advance(4 * MINUTE);
      }
      // 16 minutes after the first failure: a new window starts.
      await login(t, email, 'Wrong-Passw0rd!').expect(401);
      await login(t, email, STRONG_PASSWORD).expect(200);
    });

    it('a successful login resets the count', async () => {
      const { email } = await registerVerified(t);
      for (let i = 0; i < 4; i++) await login(t, email, 'Wrong-Passw0rd!').expect(401);
      await login(t, email).expect(200);
      for (let i = 0; i < 4; i++) await login(t, email, 'Wrong-Passw0rd!').expect(401);
      await login(t, email).expect(200);
    });
  });
});
