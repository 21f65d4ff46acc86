import { createUserWithToken } from '../support/api-client';
import { createTestApp, TestApp, withEnv } from '../support/test-app';

/** A Content-Security-Policy header as { directive: 'sources' }. */
function directives(header: unknown): Record<string, string> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources.join(' ')]),
  );
}

describe('security headers, CORS, body limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it.each(['/health', '/api/v1/drawings', '/api/v1/no-such-route', '/test/', '/test/js/app.js', '/metrics'])(
    '%s carries X-Frame-Options DENY and a CSP of default-src self without inline code',
    async (path) => {
      const res = await t.http().get(path);
      expect(res.headers['x-frame-options']).toBe('DENY');
      const csp = directives(res.headers['content-security-policy']);
      expect(csp).toMatchObject({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'frame-ancestors': "'none'",
      });
      expect(JSON.stringify(csp)).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('/docs keeps scripts to self (its page has one inline style block)', async () => {
    const res = await t.http().get('/docs').redirects(1);
    expect(directives(res.headers['content-security-policy'])).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
    });
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('the test page has no inline scripts, styles or handlers (the CSP would block them)', async () => {
    const html = (await t.http().get('/test/').expect(200)).text;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  });

  it('CORS answers only the configured origins', async () => {
    const foreign = await t
      .http()
      .options('/api/v1/users/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const own = await t
      .http()
      .options('/api/v1/users/me')
      .set('Origin', 'http://localhost:3000')
      .set('Access-Control-Request-Method', 'GET');
    expect(own.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('a JSON body over 1 MiB is 413 problem+json', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024 + 10) }))
      .expect(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.status).toBe(413);
  });
});

describe('global rate limit (RATE_LIMIT_PER_MINUTE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await withEnv({ RATE_LIMIT_PER_MINUTE: '5' }, () => createTestApp());
  });
  afterAll(() => t?.close());

  it('limits each user and each anonymous IP separately: 429 problem+json with Retry-After', async () => {
    // Logging in is an anonymous request of this IP: make the users first.
    const alice = await createUserWithToken(t);
    const bob = await createUserWithToken(t);
    for (let i = 0; i < 3; i++) await t.http().get('/api/v1/drawings');
    const anonymous = await t.http().get('/api/v1/drawings').expect(429);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(Number(anonymous.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(anonymous.headers['retry-after'])).toBeLessThanOrEqual(60);

    // Alice has her own 5, whatever the IP has used.
    for (let i = 0; i < 5; i++) await alice.client.get('/users/me').expect(200);
    await alice.client.get('/users/me').expect(429);
    // Bob is not affected by Alice.
    await bob.client.get('/users/me').expect(200);
    // Probes are not API traffic.
    await t.http().get('/health/ready').expect(200);
  });
});
