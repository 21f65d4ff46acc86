import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersRepository } from '@fittrack/users';
import { createUserWithToken } from '../support/api-client';
import { createTestApp, TestApp } from '../support/test-app';
import { registration } from './helpers';

describe('/users/me, public profiles, RBAC scenarios and the dev mailbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-06-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  describe('Feature: Role-Based Access Control', () => {
    it('user: /users/me 200, /admin/users 403 Insufficient permissions', async () => {
      const user = await createUserWithToken(t, { role: 'user' });
      const me = await user.client.get('/users/me').expect(200);
      expect(me.body).toMatchObject({ id: user.user.id, role: 'user' });
      const res = await user.client.get('/admin/users').expect(403);
      expect(res.body.detail).toBe('Insufficient permissions');
    });

    it('admin: /admin/users lists users and /users/me returns the admin', async () => {
      const admin = await createUserWithToken(t, { role: 'admin' });
      const list = await admin.client.get('/admin/users').expect(200);
      expect(list.body.meta.total).toBeGreaterThanOrEqual(1);
      const me = await admin.client.get('/users/me').expect(200);
      expect(me.body).toMatchObject({ id: admin.user.id, role: 'admin' });
    });

    it('a demoted admin loses admin routes before the token expires (role read from the database)', async () => {
      const admin = await createUserWithToken(t, { role: 'admin' });
      await t.app.get(UsersRepository).updateColumns(admin.user.id, { role: 'user' });
      await admin.client.get('/admin/users').expect(403);
    });
  });

  it('GET /users/me carries the live tracker connections (one read), not a deleted one', async () => {
    const user = await createUserWithToken(t);
    const connections = t.app.get(DataSource).getRepository('TrackerConnection');
    const lastSyncAt = new Date('2026-05-31T20:45:00.000Z');
    await connections.save([
      {
        id: randomUUID(),
        userId: user.user.id,
        provider: 'google_fit',
        isPrimary: false,
        syncStatus: 'error',
      },
      {
        id: randomUUID(),
        userId: user.user.id,
        provider: 'fitbit',
        isPrimary: true,
        syncStatus: 'ok',
        lastSyncAt,
      },
      {
        id: randomUUID(),
        userId: user.user.id,
        provider: 'apple_health',
        isPrimary: false,
        deletedAt: new Date('2026-05-01T00:00:00.000Z'),
      },
    ]);
    const me = await user.client.get('/users/me').expect(200);
    expect(me.body.connections).toEqual([
      { provider: 'fitbit', is_primary: true, sync_status: 'ok', last_sync_at: lastSyncAt.toISOString() },
      { provider: 'google_fit', is_primary: false, sync_status: 'error', last_sync_at: null },
    ]);
    expect(me.body).toMatchObject({ id: user.user.id, email_verified: true, point_balance: 0 });
    expect(me.body.profile).toMatchObject({ display_name: 'Test User', date_of_birth: '1990-01-01' });
    expect(Date.parse(me.body.created_at)).not.toBeNaN();
  });

  it('PUT /users/me changes the display name only; role and status are rejected', async () => {
    const { client } = await createUserWithToken(t);
    const res = await client.put('/users/me').send({ display_name: 'New Name' }).expect(200);
    expect(res.body.profile.display_name).toBe('New Name');
    const bad = await client.put('/users/me').send({ role: 'admin', status: 'active' }).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['role', 'status']);
  });

  it('PUT /users/me/profile recalculates tier_code', async () => {
    const { client } = await createUserWithToken(t);
    const res = await client
      .put('/users/me/profile')
      .send({ date_of_birth: '1995-07-01', biological_sex: 'male', fitness_level: 'beginner' })
      .expect(200);
    expect(res.body.profile.tier_code).toBe('M-30-39-BEG');
    const younger = await client.put('/users/me/profile').send({ date_of_birth: '1996-06-02' }).expect(200);
    expect(younger.body.profile.tier_code).toBe('M-18-29-BEG');
    const open = await client.put('/users/me/profile').send({ open_tier_opt_in: true }).expect(200);
    expect(open.body.profile.tier_code).toBe('OPEN');
    await client.put('/users/me/profile').send({ display_name: 'x' }).expect(422);
  });

  it('GET /users/:id/public exposes only the public fields', async () => {
    const owner = await createUserWithToken(t);
    const viewer = await createUserWithToken(t);
    const res = await viewer.client.get(`/users/${owner.user.id}/public`).expect(200);
    expect(res.body).toEqual({
      user_id: owner.user.id,
      display_name: 'Test User',
      tier_code: null,
      total_points_earned: 0,
      member_since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      alltime_rank: null, // no tier, no points: not ranked
    });
    await viewer.client.get('/users/550e8400-e29b-41d4-a716-446655440000/public').expect(404);
    await viewer.client.get('/users/not-a-uuid/public').expect(422);
  });

  it('GET /admin/emails: admin only, filter[to], newest first', async () => {
    const body = registration();
    await t.http().post('/api/v1/auth/register').send(body).expect(201);
    await t.http().post('/api/v1/auth/resend-verification').send({ email: body.email }).expect(202);
    const admin = await createUserWithToken(t, { role: 'admin' });
    const res = await admin.client
      .get(`/admin/emails?filter[to]=${encodeURIComponent(body.email)}`)
      .expect(200);
    expect(res.body.meta.total).toBe(2);
    expect(res.body.data.map((e: { template: string }) => e.template)).toEqual([
      'verification',
      'verification',
    ]);
    const [newest, older] = res.body.data.map((e: { created_at: string }) => Date.parse(e.created_at));
    expect(newest).toBeGreaterThanOrEqual(older);
    expect(res.body.data[0]).toMatchObject({ to: body.email, subject: 'Verify your FitTrack email' });
    await admin.client.get('/admin/emails?filter[nope]=1').expect(422);
    const user = await createUserWithToken(t);
    await user.client.get('/admin/emails').expect(403);
  });

  it('GET /admin/emails filter[template] takes the templates the app has, and no other', async () => {
    const body = registration();
    await t.http().post('/api/v1/auth/register').send(body).expect(201);
    const admin = await createUserWithToken(t, { role: 'admin' });
    const to = encodeURIComponent(body.email);
    const verification = await admin.client
      .get(`/admin/emails?filter[to]=${to}&filter[template]=verification`)
      .expect(200);
    expect(verification.body.meta.total).toBe(1);
    const welcome = await admin.client
      .get(`/admin/emails?filter[to]=${to}&filter[template]=welcome`)
      .expect(200);
    expect(welcome.body.meta.total).toBe(0);
    // No such email template exists (the filter once listed planned ones).
    await admin.client.get('/admin/emails?filter[template]=winner').expect(422);
  });
});
