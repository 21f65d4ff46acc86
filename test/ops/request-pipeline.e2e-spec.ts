import type { ApplicationConfig } from '@nestjs/core';
import { createUserWithToken } from '../support/api-client';
import { createTestApp, TestApp } from '../support/test-app';

interface Layer {
  name: string;
  route?: unknown;
}

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

  it('mounts few Express layers before the routes: each costs every request (ADR 0030)', () => {
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
    const beforeRoutes = router.stack.slice(
      0,
      router.stack.findIndex((layer) => layer.route),
    );
    // Request id, access log, metrics and security headers are one layer; body guard and the test page's
    // redirect another. A new global middleware belongs in one of those chains, or here with its cost.
    expect(beforeRoutes.map((layer) => layer.name)).toEqual([
      '<anonymous>', // Nest's request hook
      'chained',
      'corsMiddleware',
      'cookieParser', // /api/v1/auth only
      'rawParser', // /api/v1/webhooks/terra only
      'jsonParser',
      'chained',
      'serveStatic', // /test/vendor/prism only
      'serveStatic', // /test only
    ]);
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
