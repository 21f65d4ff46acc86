import { randomUUID } from 'node:crypto';
import { User } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin } from '../support/api-client';
import { createUser, dataSource, uniqueEmail } from './fixtures';

const MISSING_ID = '550e8400-e29b-41d4-a716-446655440000';

const validUser = (overrides: Record<string, unknown> = {}) => ({
  email: uniqueEmail('created'),
  password: 'Str0ng!Passw0rd',
  date_of_birth: '1990-05-20',
  state: 'TX',
  display_name: 'Alex',
  role: 'admin',
  biological_sex: 'male',
  fitness_level: 'advanced',
  ...overrides,
});

describe('users API', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-16T15:00:00Z' });
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  describe('GET /users', () => {
    it('returns a page with pagination metadata', async () => {
      for (let i = 0; i < 12; i++) await createUser(t);
      const res = await admin.get('/users?page=1&per_page=10').expect(200);
      expect(res.body.data.length).toBe(10);
      expect(res.body.meta).toEqual({
        page: 1,
        per_page: 10,
        total: expect.any(Number),
        total_pages: Math.ceil(res.body.meta.total / 10),
      });
      expect(res.body.meta.total).toBeGreaterThanOrEqual(12);
      expect(res.body.data[0]).toMatchObject({ id: expect.any(String), email: expect.any(String) });
      expect(res.body.data[0]).not.toHaveProperty('password_hash');
      expect(res.body.data[0]).not.toHaveProperty('passwordHash');
    });

    it('sorts by -created_at: newest first', async () => {
      // On PostgreSQL other files' users share the table, some created at later test-clock times: this
      // one is created later than any of them.
      const before = t.clock.now();
      t.clock.set('2090-01-01T00:00:00Z');
      const newest = await createUser(t);
      t.clock.set(before);
      const res = await admin.get('/users?sort=-created_at&per_page=50').expect(200);
      expect(res.body.data[0].id).toBe(newest.id);
      const times = res.body.data.map((u: { created_at: string }) => Date.parse(u.created_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('sorts by email ascending', async () => {
      const res = await admin.get('/users?sort=email&per_page=50').expect(200);
      const emails = res.body.data.map((u: { email: string }) => u.email);
      expect(emails).toEqual([...emails].sort());
    });

    it('filters by email (case-insensitive), role, status and tier', async () => {
      const user = await createUser(t, { role: 'premium', status: 'suspended' }, { tierCode: 'F-60+-ADV' });
      const byEmail = await admin.get(`/users?filter[email]=${user.email.toUpperCase()}`).expect(200);
      expect(byEmail.body.data.map((u: User) => u.id)).toEqual([user.id]);
      const byRole = await admin
        .get('/users?filter[role]=premium&filter[status]=suspended&per_page=100')
        .expect(200);
      expect(byRole.body.data.every((u: User) => u.role === 'premium' && u.status === 'suspended')).toBe(
        true,
      );
      expect(byRole.body.data.map((u: User) => u.id)).toContain(user.id);
      const byTier = await admin.get('/users?filter[tier_code]=F-60%2B-ADV&per_page=100').expect(200);
      expect(byTier.body.data.map((u: User) => u.id)).toContain(user.id);
      expect(
        byTier.body.data.every(
          (u: { profile: { tier_code: string } }) => u.profile.tier_code === 'F-60+-ADV',
        ),
      ).toBe(true);
    });

    it('GET /admin/users is the same list', async () => {
      const user = await createUser(t);
      const res = await admin.get(`/admin/users?filter[email]=${user.email}`).expect(200);
      expect(res.body.data.map((u: User) => u.id)).toEqual([user.id]);
      expect(res.body.meta.total).toBe(1);
    });
  });

  describe('GET /users/:id', () => {
    it('returns all user fields with profile and connections', async () => {
      const user = await createUser(t, {}, { displayName: 'Casey', state: 'CA' });
      const res = await admin.get(`/users/${user.id}`).expect(200);
      expect(res.body).toMatchObject({
        id: user.id,
        email: user.email,
        role: 'user',
        status: 'active',
        email_verified: true,
        point_balance: 0,
        total_points_earned: 0,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        connections: [],
        profile: {
          display_name: 'Casey',
          state: 'CA',
          date_of_birth: '1990-06-15',
          biological_sex: 'female',
          fitness_level: 'intermediate',
          tier_code: 'F-30-39-INT',
        },
      });
    });

    it('unknown id is a 404 problem', async () => {
      const res = await admin.get(`/users/${MISSING_ID}`).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        status: 404,
        title: 'Not Found',
        detail: 'User not found',
        instance: `/api/v1/users/${MISSING_ID}`,
        request_id: expect.any(String),
      });
    });

    it('a malformed id is a 422 problem, not a 500', async () => {
      const res = await admin.get("/users/1' OR '1'='1").expect(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });
  });

  describe('POST /users', () => {
    it('creates a user with hashed password, lowercase email and computed tier', async () => {
      const body = validUser({ email: `  MiXeD-${randomUUID()}@Example.COM ` });
      const res = await admin.post('/users').send(body).expect(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: body.email.trim().toLowerCase(),
        role: 'admin',
        status: 'active',
        profile: { display_name: 'Alex', date_of_birth: '1990-05-20', state: 'TX', tier_code: 'M-30-39-ADV' },
      });
      const stored = await dataSource(t)
        .getRepository(User)
        .findOneOrFail({ where: { id: res.body.id }, relations: { profile: true } });
      expect(stored.email).toBe(body.email.trim().toLowerCase());
      expect(stored.passwordHash).toMatch(/^\$2[aby]\$04\$/);
      expect(stored.passwordHash).not.toContain(body.password);
      expect(stored.profile).toMatchObject({ displayName: 'Alex', state: 'TX', fitnessLevel: 'advanced' });
    });

    it('missing email is 422 with a field error for email', async () => {
      const { email: _email, ...body } = validUser();
      const res = await admin.post('/users').send(body).expect(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('email');
    });

    it('rejects bad fields one entry each, unknown fields, and a weak password', async () => {
      const res = await admin
        .post('/users')
        .send(validUser({ state: 'ZZ', date_of_birth: '1990-13-01', password: 'short', is_admin: true }))
        .expect(422);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['state', 'date_of_birth', 'password', 'is_admin']));
    });

    it('duplicate email (any case) is 409 and creates nothing', async () => {
      const body = validUser();
      await admin.post('/users').send(body).expect(201);
      const res = await admin
        .post('/users')
        .send({ ...body, email: body.email.toUpperCase() })
        .expect(409);
      expect(res.body.detail).toBe('Email already registered');
      expect(await dataSource(t).getRepository(User).countBy({ email: body.email })).toBe(1);
    });

    it('under 18 is rejected', async () => {
      const res = await admin
        .post('/users')
        .send(validUser({ date_of_birth: '2008-01-17' }))
        .expect(400);
      expect(res.body.detail).toBe('Must be 18 or older');
    });
  });

  describe('PUT /users/:id', () => {
    it('updates profile fields, recalculates the tier and moves updated_at', async () => {
      const user = await createUser(t);
      const before = await admin.get(`/users/${user.id}`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 15));
      const res = await admin
        .put(`/users/${user.id}`)
        .send({ display_name: 'Renamed', fitness_level: 'beginner', biological_sex: 'male' })
        .expect(200);
      expect(res.body.profile).toMatchObject({ display_name: 'Renamed', tier_code: 'M-30-39-BEG' });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(before.body.updated_at));
      const stored = await dataSource(t)
        .getRepository(User)
        .findOneOrFail({ where: { id: user.id }, relations: { profile: true } });
      expect(stored.profile).toMatchObject({ displayName: 'Renamed', tierCode: 'M-30-39-BEG' });
      expect(stored.updatedAt.getTime()).toBe(Date.parse(res.body.updated_at));
    });

    it('admin changes role and status; clearing fitness level clears the tier', async () => {
      const user = await createUser(t);
      const res = await admin
        .put(`/users/${user.id}`)
        .send({ role: 'premium', status: 'suspended', fitness_level: null })
        .expect(200);
      expect(res.body).toMatchObject({ role: 'premium', status: 'suspended', profile: { tier_code: null } });
    });

    it('rejects invalid values and null for required fields, changing nothing', async () => {
      const user = await createUser(t, {}, { displayName: 'Keep' });
      const res = await admin
        .put(`/users/${user.id}`)
        .send({ display_name: null, role: 'root', timezone: 'Mars/Base' })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['display_name', 'role', 'timezone']),
      );
      const stored = await dataSource(t)
        .getRepository(User)
        .findOneOrFail({ where: { id: user.id }, relations: { profile: true } });
      expect(stored.profile?.displayName).toBe('Keep');
      expect(stored.role).toBe('user');
    });

    it('unknown user is 404', async () => {
      await admin.put(`/users/${MISSING_ID}`).send({ display_name: 'x' }).expect(404);
    });
  });

  describe('DELETE /users/:id', () => {
    it('soft deletes: 204, gone from list and GET, row kept with deleted_at', async () => {
      const user = await createUser(t);
      await admin.delete(`/users/${user.id}`).expect(204);
      await admin.get(`/users/${user.id}`).expect(404);
      const list = await admin.get(`/users?filter[email]=${user.email}`).expect(200);
      expect(list.body.data).toEqual([]);
      expect(list.body.meta.total).toBe(0);
      const row = await dataSource(t)
        .getRepository(User)
        .findOne({ where: { id: user.id }, withDeleted: true });
      expect(row?.deletedAt).toBeInstanceOf(Date);
      await admin.delete(`/users/${user.id}`).expect(404);
      await admin.put(`/users/${user.id}`).send({ display_name: 'ghost' }).expect(404);
    });
  });
});
