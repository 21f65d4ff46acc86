import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenDenyList } from '@fittrack/auth';
import { UsersRepository } from '@fittrack/users';
import { createUserWithToken } from '../support/api-client';
import { createTestApp, TestApp } from '../support/test-app';
import { lastEmailTo, login, registerVerified, STRONG_PASSWORD, tokenFromEmail } from './helpers';

const MINUTE = 60 * 1000;
const DAY = 24 * 3600 * 1000;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokens: protected endpoints, refresh rotation, logout, password reset and change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-04-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  const me = (token?: string) => {
    const req = t.http().get('/api/v1/users/me');
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const refresh = (refresh_token: string) => t.http().post('/api/v1/auth/refresh').send({ refresh_token });
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

  describe('Feature: Protected Endpoints', () => {
    it('GET /users/me with a valid token returns the profile', async () => {
      const { user, token } = await createUserWithToken(t);
      const res = await me(token).expect(200);
      expect(res.body).toMatchObject({
        id: user.id,
        email: user.email,
        role: 'user',
        point_balance: 0,
        total_points_earned: 0,
        profile: expect.objectContaining({ display_name: 'Test User', tier_code: null }),
      });
    });

    it('without a token: 401 Authentication required', async () => {
      const res = await me().expect(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toBe('Authentication required');
    });

    it('an access token that expired 31 minutes ago: 401 Token expired', async () => {
      const { token } = await createUserWithToken(t);
      t.clock.advance(30 * MINUTE - 1000);
      await me(token).expect(200);
      t.clock.advance(31 * MINUTE);
      expect((await me(token).expect(401)).body.detail).toBe('Token expired');
    });

    it('rejects alg none, HS256 signed with the public key, a tampered payload, a foreign key and garbage', async () => {
      const { token } = await createUserWithToken(t);
      const [header, payload, signature] = token.split('.');
      const claims = claimsOf(token);
      // The attack signs with the public key's PEM text, as published.
      const publicKey = (
        t.app.get(JwtService) as unknown as { options: { publicKey: KeyObject } }
      ).options.publicKey.export({ type: 'spki', format: 'pem' });
      const hsHeader = b64({ alg: 'HS256', typ: 'JWT' });
      const hsSignature = createHmac('sha256', publicKey)
        .update(`${hsHeader}.${payload}`)
        .digest('base64url');
      const foreign = new JwtService({
        privateKey: generateKeyPairSync('rsa', {
          modulusLength: 2048,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        }).privateKey,
        signOptions: { algorithm: 'RS256' },
      }).sign(claims);
      const forged = [
        `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
        `${hsHeader}.${payload}.${hsSignature}`,
        `${header}.${b64({ ...claims, role: 'admin' })}.${signature}`,
        `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
        foreign,
        'not.a.jwt',
        'garbage',
      ];
      for (const bad of forged) {
        const res = await me(bad).expect(401);
        expect(res.body.detail).toBe('Invalid token');
      }
      await me(token).expect(200);
    });

    it('refuses the token of a deleted or suspended user', async () => {
      const users = t.app.get(UsersRepository);
      const deleted = await createUserWithToken(t);
      await users.softDelete(deleted.user.id);
      expect((await me(deleted.token).expect(401)).body.detail).toBe('Invalid token');
      const suspended = await createUserWithToken(t);
      await users.updateColumns(suspended.user.id, { status: 'suspended' });
      await me(suspended.token).expect(401);
    });
  });

  describe('Feature: Token Refresh', () => {
    it('rotates: a new pair, and the old refresh token stops working', async () => {
      const { email } = await registerVerified(t);
      const first = (await login(t, email).expect(200)).body;
      t.clock.advance(MINUTE);
      const second = (await refresh(first.refresh_token).expect(200)).body;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second).toMatchObject({ token_type: 'Bearer', expires_in: 1800, refresh_expires_in: 604800 });
      const claims = claimsOf(second.access_token);
      expect(claims.exp - claims.iat).toBe(1800);
      await me(second.access_token).expect(200);
      expect((await refresh(first.refresh_token).expect(401)).body.detail).toBe('Invalid refresh token');
    });

    it('reuse of a rotated token revokes the whole family', async () => {
      const { email } = await registerVerified(t);
      const first = (await login(t, email).expect(200)).body;
      const second = (await refresh(first.refresh_token).expect(200)).body;
      await refresh(first.refresh_token).expect(401); // the replay
      expect((await refresh(second.refresh_token).expect(401)).body.detail).toBe('Invalid refresh token');
      expect((await me(second.access_token).expect(401)).body.detail).toBe('Invalid token');
      // Another session of the same user is untouched.
      const other = (await login(t, email).expect(200)).body;
      await refresh(other.refresh_token).expect(200);
    });

    it('accepts the HTTP-only cookie instead of the body', async () => {
      const { email } = await registerVerified(t);
      const res = await login(t, email).expect(200);
      const cookie = res.headers['set-cookie'][0].split(';')[0];
      const rotated = await t.http().post('/api/v1/auth/refresh').set('Cookie', cookie).send({}).expect(200);
      expect(rotated.body.refresh_token).not.toBe(res.body.refresh_token);
    });

    it('a refresh token that expired 8 days ago: 401 Refresh token expired, please log in again', async () => {
      const { email } = await registerVerified(t);
      const { refresh_token } = (await login(t, email).expect(200)).body;
      t.clock.advance(15 * DAY);
      const res = await refresh(refresh_token).expect(401);
      expect(res.body.detail).toBe('Refresh token expired, please log in again');
    });

    it.each(['nonsense', 'x'.repeat(43)])(
      'an invalid refresh token %j: 401 Invalid refresh token',
      async (token) => {
        expect((await refresh(token).expect(401)).body.detail).toBe('Invalid refresh token');
        const none = await t.http().post('/api/v1/auth/refresh').send({}).expect(401);
        expect(none.body.detail).toBe('Invalid refresh token');
      },
    );
  });

  describe('logout', () => {
    it('204; then neither the access token nor the refresh token works', async () => {
      const { email } = await registerVerified(t);
      const pair = (await login(t, email).expect(200)).body;
      await t
        .http()
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${pair.access_token}`)
        .send({ refresh_token: pair.refresh_token })
        .expect(204);
      expect((await me(pair.access_token).expect(401)).body.detail).toBe('Invalid token');
      expect((await refresh(pair.refresh_token).expect(401)).body.detail).toBe('Invalid refresh token');
    });

    it('without a body revokes the session the access token came from, and needs authentication', async () => {
      const { email } = await registerVerified(t);
      const pair = (await login(t, email).expect(200)).body;
      const other = (await login(t, email).expect(200)).body;
      await t
        .http()
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${pair.access_token}`)
        .expect(204);
      await refresh(pair.refresh_token).expect(401);
      await me(other.access_token).expect(200);
      await t.http().post('/api/v1/auth/logout').expect(401);
    });
  });

  describe('password reset and change', () => {
    it('forgot-password is 202 for anyone; reset works once, within 1 hour, and ends every session', async () => {
      const { email } = await registerVerified(t);
      const session = (await login(t, email).expect(200)).body;
      const unknown = await t
        .http()
        .post('/api/v1/auth/forgot-password')
        .send({ email: 'no@example.com' })
        .expect(202);
      const known = await t.http().post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      expect(unknown.body).toEqual(known.body);
      expect((await lastEmailTo(t, email)).template).toBe('password_reset');
      const token = await tokenFromEmail(t, email, 'reset_token');

      const weak = await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ token, new_password: 'short' })
        .expect(422);
      expect(weak.body.errors[0].field).toBe('new_password');

      await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ token, new_password: 'Brand-New-Pass-77' })
        .expect(200);
      await login(t, email, STRONG_PASSWORD).expect(401);
      await login(t, email, 'Brand-New-Pass-77').expect(200);
      await refresh(session.refresh_token).expect(401);
      await me(session.access_token).expect(401);
      const reused = await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ token, new_password: 'Another-Pass-88' })
        .expect(400);
      expect(reused.body.detail).toBe('Invalid reset token');
    });

    it('a reset token older than 1 hour is refused', async () => {
      const { email } = await registerVerified(t);
      await t.http().post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      const token = await tokenFromEmail(t, email, 'reset_token');
      t.clock.advance(61 * MINUTE);
      const res = await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ token, new_password: 'Brand-New-Pass-77' })
        .expect(400);
      expect(res.body.detail).toBe('Reset token expired, request a new one');
      await login(t, email).expect(200);
    });

    it('PUT /users/me/password checks the current password and ends the other sessions only', async () => {
      const { email } = await registerVerified(t);
      const mine = (await login(t, email).expect(200)).body;
      const other = (await login(t, email).expect(200)).body;
      const put = (body: object) =>
        t
          .http()
          .put('/api/v1/users/me/password')
          .set('Authorization', `Bearer ${mine.access_token}`)
          .send(body);
      const wrong = await put({
        current_password: 'Wrong-Passw0rd!',
        new_password: 'Brand-New-Pass-77',
      }).expect(400);
      expect(wrong.body.detail).toBe('Current password is incorrect');
      expect(
        (await put({ current_password: STRONG_PASSWORD, new_password: 'weak' }).expect(422)).body.errors[0]
          .field,
      ).toBe('new_password');
      await put({ current_password: STRONG_PASSWORD, new_password: 'Brand-New-Pass-77' }).expect(204);
      await me(mine.access_token).expect(200);
      await refresh(mine.refresh_token).expect(200);
      await me(other.access_token).expect(401);
      await refresh(other.refresh_token).expect(401);
      await login(t, email, 'Brand-New-Pass-77').expect(200);
    });

    it('ends several other sessions in its one transaction, one denial at a time', async () => {
      const { email } = await registerVerified(t);
      const mine = (await login(t, email).expect(200)).body;
      const others = [];
      for (let i = 0; i < 3; i++) others.push((await login(t, email).expect(200)).body);
      // The denials run in the password change's unit of work, whose one connection takes one query at a
      // time: sent together, node-postgres queued them and warned (a deprecation in pg 8, an error in 9).
      const denyList = t.app.get(AccessTokenDenyList);
      const deny = denyList.deny.bind(denyList);
      let running = 0;
      let overlapped = 0;
      const spy = jest.spyOn(denyList, 'deny').mockImplementation(async (jti, expiresAt) => {
        if (++running > 1) overlapped += 1;
        try {
          await deny(jti, expiresAt);
        } finally {
          running -= 1;
        }
      });
      try {
        await t
          .http()
          .put('/api/v1/users/me/password')
          .set('Authorization', `Bearer ${mine.access_token}`)
          .send({ current_password: STRONG_PASSWORD, new_password: 'Brand-New-Pass-78' })
          .expect(204);
        expect(spy).toHaveBeenCalledTimes(3);
      } finally {
        spy.mockRestore();
      }
      expect(overlapped).toBe(0);
      for (const other of others) await me(other.access_token).expect(401);
      await me(mine.access_token).expect(200);
    });
  });
});
