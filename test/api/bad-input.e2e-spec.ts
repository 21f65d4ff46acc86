import { User } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin, createUserWithToken } from '../support/api-client';
import { dataSource } from './fixtures';

const HOSTILE_QUERIES = [
  'sort=;drop table users',
  'sort=-created_at;--',
  'sort=password_hash',
  'filter[x][y]=1',
  'filter[role][$ne]=admin',
  'filter=role',
  'filter[role]=superuser',
  'page=99999999999',
  'page=0',
  'page=-1',
  'page=abc',
  'page=1.5',
  'per_page=0',
  'per_page=101',
  'per_page=abc',
  'unknown=1',
];

const LISTS = ['/users', '/admin/users', '/activities', '/drawings', '/points/transactions'];

describe('hostile list parameters', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await asAdmin(t);
  });
  afterAll(() => t.close());

  it.each(LISTS)('%s answers 422 problem+json to every hostile query and changes nothing', async (path) => {
    const users = await dataSource(t).getRepository(User).count({ withDeleted: true });
    for (const query of HOSTILE_QUERIES) {
      const res = await admin.get(`${path}?${encodeURI(query)}`);
      expect([query, res.status]).toEqual([query, 422]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|sqlite|QueryFailed|at \w+ \(/i);
    }
    expect(await dataSource(t).getRepository(User).count({ withDeleted: true })).toBe(users);
  });

  it('a hostile id in the path is 422, never a 500', async () => {
    for (const path of ['/users/..%2F..%2Fetc', '/activities/%27%20OR%201%3D1', '/drawings/1;drop']) {
      const res = await admin.get(path);
      expect([path, res.status]).toEqual([path, 422]);
    }
  });

  it('a JSON body with wrong types is 422 per field; unknown fields too', async () => {
    const res = await admin
      .post('/users')
      .send({
        email: ['a@b.c'],
        password: 12,
        date_of_birth: {},
        state: 'tx; drop',
        display_name: '',
        role: 'root',
        x: 1,
      })
      .expect(422);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['email', 'password', 'date_of_birth', 'state', 'display_name', 'role', 'x']),
    );
  });

  it('a 422 says what is wrong: the one failing rule, or the fields when several fail', async () => {
    const { client } = await createUserWithToken(t);
    const one = await client.put('/users/me').send({ display_name: '' }).expect(422);
    expect(one.body.errors).toHaveLength(1);
    expect(one.body.detail).toBe(one.body.errors[0].message);
    expect(one.body.detail).toMatch(/display_name/);

    const several = await admin.post('/users').send({ email: 'nope', password: 12 }).expect(422);
    const fields: string[] = several.body.errors.map((e: { field: string }) => e.field);
    expect(fields.length).toBeGreaterThan(1);
    expect(several.body.detail).toBe(`Invalid fields: ${fields.join(', ')}`);
  });
});

describe('hostile JSON bodies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const sendRaw = (method: 'post' | 'put', path: string, body: string, token?: string) => {
    const request = t.http()[method](`/api/v1${path}`).set('Content-Type', 'application/json');
    return (token ? request.set('Authorization', `Bearer ${token}`) : request).send(body);
  };

  it('a ~20 KB body nested 10,000 deep is 400 before any validation, on every try', async () => {
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const body = `{"email": "a@b.c", "password": ${deep}}`;
    for (let i = 0; i < 3; i++) {
      const res = await sendRaw('post', '/auth/login', body).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toBe('Request body is nested deeper than 32 levels');
    }
    // Ordinary nesting is untouched: this reaches validation (422), not the depth guard.
    const shallow = await sendRaw('post', '/auth/login', '{"email": "a@b.c", "password": [[1]]}');
    expect(shallow.status).toBe(422);
  });

  it.each(['constructor', '__proto__', 'prototype'])(
    'a body key %s is refused like any unknown field, also nested',
    async (key) => {
      const { token } = await createUserWithToken(t);
      const top = await sendRaw('put', '/users/me', `{"display_name": "Robin", "${key}": {"x": 1}}`, token);
      expect(top.status).toBe(422);
      expect(top.body).toMatchObject({
        detail: `property ${key} should not exist`,
        errors: [{ field: key, message: `property ${key} should not exist` }],
      });
      const nested = await sendRaw('put', '/users/me/profile', `{"timezone": {"${key}": 1}}`, token);
      expect(nested.status).toBe(422);
      expect(nested.body.errors).toEqual([
        { field: `timezone.${key}`, message: `property ${key} should not exist` },
      ]);
      // Nothing was written.
      const me = await t.http().get('/api/v1/users/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body.profile.display_name).toBe('Test User');
    },
  );
});
