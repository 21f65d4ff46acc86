import { DataSource } from 'typeorm';
import { ACCESS_CACHE_TTL_MS } from '@fittrack/users';
import { createUserWithToken, TEST_PASSWORD, type UserWithToken } from '../support/api-client';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The guard keeps active users' access rows for a few seconds (ADR 0020) and verified token signatures
 * for the process's life. Neither may delay a security change: each case below first makes the user's
 * token answer 200 (so their row is cached), changes them through the API, and expects the very next
 * request to be refused.
 */
describe('access cache: role, status, deletion and revocation take effect on the next request', () => {
  let t: TestApp;
  let admin: UserWithToken;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUserWithToken(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('a demoted admin gets 403 on the next admin request', async () => {
    const other = await createUserWithToken(t, { role: 'admin' });
    await other.client.get('/admin/users').expect(200);
    await admin.client.put(`/users/${other.user.id}`).send({ role: 'user' }).expect(200);
    const res = await other.client.get('/admin/users').expect(403);
    expect(res.body.detail).toBe('Insufficient permissions');
    // And a promotion shows as promptly.
    await admin.client.put(`/users/${other.user.id}`).send({ role: 'admin' }).expect(200);
    await other.client.get('/admin/users').expect(200);
  });

  it('a suspended user gets 401 on the next request, and is let back in once reactivated', async () => {
    const user = await createUserWithToken(t);
    await user.client.get('/users/me').expect(200);
    await admin.client.put(`/users/${user.user.id}`).send({ status: 'suspended' }).expect(200);
    expect((await user.client.get('/users/me').expect(401)).body.detail).toBe('Invalid token');
    await admin.client.put(`/users/${user.user.id}`).send({ status: 'active' }).expect(200);
    await user.client.get('/users/me').expect(200);
  });

  it('a deleted user gets 401 on the next request', async () => {
    const user = await createUserWithToken(t);
    await user.client.get('/users/me').expect(200);
    await admin.client.delete(`/users/${user.user.id}`).expect(204);
    expect((await user.client.get('/users/me').expect(401)).body.detail).toBe('Invalid token');
  });

  it('a logged-out token gets 401 on the next request, though its signature was verified before', async () => {
    const user = await createUserWithToken(t);
    await user.client.get('/users/me').expect(200);
    await user.client.post('/auth/logout').send({}).expect(204);
    expect((await user.client.get('/users/me').expect(401)).body.detail).toBe('Invalid token');
  });

  it("a password change ends the user's other sessions on their next request", async () => {
    const user = await createUserWithToken(t);
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.user.email, password: TEST_PASSWORD })
      .expect(200);
    const other = (path: string) =>
      t.http().get(`/api/v1${path}`).set('Authorization', `Bearer ${login.body.access_token}`);
    await other('/users/me').expect(200);
    await user.client
      .put('/users/me/password')
      .send({ current_password: TEST_PASSWORD, new_password: 'Another-Passw0rd!2026' })
      .expect(204);
    await other('/users/me').expect(401);
    await user.client.get('/users/me').expect(200);
  });

  it('a write behind the repositories (raw SQL) shows once the entry lapses, within the TTL', async () => {
    const user = await createUserWithToken(t, { role: 'admin' });
    await user.client.get('/admin/users').expect(200);
    await t.app.get(DataSource).query(`UPDATE "users" SET "role" = 'user' WHERE "id" = '${user.user.id}'`);
    // Served from the cache meanwhile: the cache is really in the path, and this is its documented bound.
    await user.client.get('/admin/users').expect(200);
    await new Promise((resolve) => setTimeout(resolve, ACCESS_CACHE_TTL_MS + 100));
    await user.client.get('/admin/users').expect(403);
  }, 15_000);
});
