import { User } from '@fittrack/users';
import { createTestApp, TestApp } from '../support/test-app';
import { ApiClient, asAdmin } from '../support/api-client';
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
});
