import type { ApplicationConfig } from '@nestjs/core';
import { createUserWithToken } from '../support/api-client';
import { createTestApp, TestApp } from '../support/test-app';

/** What initApp leaves on every request's path (docs/benchmarks.md "Auth": the per-request cost). */
describe('request pipeline', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('binds no global interceptor: nestjs-cls registers a no-op one that initApp drops', () => {
    const config = (t.app as unknown as { config: ApplicationConfig }).config;
    expect(config.getGlobalInterceptors()).toEqual([]);
  });

  it('an authenticated read answers as before, with the security headers', async () => {
    const { token } = await createUserWithToken(t);
    const res = await t.http().get('/api/v1/users/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
