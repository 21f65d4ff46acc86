import { LOG_DESTINATION } from '@fittrack/core';
import { CapturedLog } from '../support/captured-log';
import { createTestApp, productionEnv, TestApp, withEnv } from '../support/test-app';
import { registration, uniqueEmail } from '../auth/helpers';
import { createUserWithToken, TEST_PASSWORD } from '../support/api-client';

/** Reads one sample's value from the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) =>
      l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? want.every((w) => l.includes(w)) : false,
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('structured logs and metrics', () => {
  const log = new CapturedLog();
  let t: TestApp;

  beforeAll(async () => {
    // Debug shows the SQL the job runs: its lines must carry the request id and never a parameter.
    t = await withEnv({ LOG_LEVEL: 'debug' }, () =>
      createTestApp({ customize: (b) => b.overrideProvider(LOG_DESTINATION).useValue(log) }),
    );
  });
  afterAll(() => t?.close());

  it('logs one JSON line per request with its id, method, path, status, duration and user', async () => {
    const body = registration();
    await t
      .http()
      .post('/api/v1/auth/register')
      .set('X-Request-Id', 'log-test-register')
      .send(body)
      .expect(201);
    await t.drainJobs();
    const completed = log.lines.find(
      (l) => l.request_id === 'log-test-register' && l.msg === 'request completed',
    );
    expect(completed).toMatchObject({
      level: 30,
      method: 'POST',
      path: '/api/v1/auth/register',
      status: 201,
      duration_ms: expect.any(Number),
    });
    // The verification email's job logged under the request that enqueued it.
    const jobLines = log.lines.filter((l) => l.job === 'send-email');
    expect(jobLines.length).toBeGreaterThan(0);
    expect(jobLines.every((l) => l.request_id === 'log-test-register')).toBe(true);
    // SQL is logged at debug level, without its parameters.
    expect(log.lines.some((l) => l.context === 'SQL' && l.level === 20)).toBe(true);
    // An authenticated request's line names its user; the login's tokens are never logged.
    const { user, token, refreshToken, auth } = await createUserWithToken(t);
    await auth(t.http().get('/api/v1/users/me').set('X-Request-Id', 'log-test-me')).expect(200);
    expect(
      log.lines.find((l) => l.request_id === 'log-test-me' && l.msg === 'request completed'),
    ).toMatchObject({
      path: '/api/v1/users/me',
      status: 200,
      user_id: user.id,
    });
    for (const secret of [token, refreshToken, TEST_PASSWORD, user.email])
      expect(log.raw).not.toContain(secret);
    // Neither the password nor the address appears anywhere.
    expect(log.raw).not.toContain(body.password);
    expect(log.raw).not.toContain(body.email);
  });

  it('never logs a password or a token sent to the API, even when the request fails', async () => {
    const password = 'Never-Logged-Passw0rd!';
    const token = 'eyJhbGciOiJSUzI1NiJ9.never-logged-token.signature';
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('log'), password })
      .expect(401);
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: token })
      .expect((r) => r.status >= 400);
    await t.http().get('/api/v1/users/me').set('Authorization', `Bearer ${token}`).expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .set('X-Request-Id', 'log-test-bad')
      .set('Content-Type', 'application/json')
      .send('{"password": "' + password)
      .expect(400);
    expect(log.raw).not.toContain(password);
    expect(log.raw).not.toContain('never-logged-token');
    expect(log.lines.find((l) => l.request_id === 'log-test-bad')).toMatchObject({ status: 400 });
  });

  it('serves /metrics outside /api/v1 with HTTP series by route template and the business counters', async () => {
    const before = (await t.http().get('/metrics').expect(200)).text;
    await t.http().post('/api/v1/auth/register').send(registration()).expect(201);
    await t.drainJobs();
    await t.http().get('/api/v1/drawings/00000000-0000-4000-8000-000000000000');
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    const route = { method: 'POST', route: '/api/v1/auth/register', status: '201' };
    expect(sample(text, 'http_requests_total', route)).toBe(sample(before, 'http_requests_total', route) + 1);
    expect(sample(text, 'http_request_duration_seconds_count', route)).toBeGreaterThan(0);
    // Ids never become labels: the route template does.
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(text).toMatch(/route="\/api\/v1\/drawings\/:id"/);
    expect(sample(text, 'user_registrations_total')).toBe(sample(before, 'user_registrations_total') + 1);
    expect(sample(text, 'emails_total', { outcome: 'sent' })).toBeGreaterThan(
      sample(before, 'emails_total', { outcome: 'sent' }),
    );
    expect(sample(text, 'jobs_total', { job: 'send-email', outcome: 'completed' })).toBeGreaterThan(0);
    expect(text).toContain('http_requests_in_flight');
    expect(text).toContain('queue_jobs{queue="in-process",state="waiting"}');
    expect(text).toContain('process_resident_memory_bytes');
    await t.http().get('/api/v1/metrics').expect(404);
  });
});

describe('/metrics is not public in production', () => {
  // Four app boots, each generating an RSA key pair: slow on a busy machine.
  it('answers 404 without METRICS_TOKEN, and with one only to its bearer', async () => {
    for (const [env, auth, status] of [
      [{}, undefined, 404],
      [{ METRICS_TOKEN: 'scrape-me-0123456789' }, undefined, 404],
      [{ METRICS_TOKEN: 'scrape-me-0123456789' }, 'Bearer wrong-token-0123456', 404],
      [{ METRICS_TOKEN: 'scrape-me-0123456789' }, 'Bearer scrape-me-0123456789', 200],
    ] as const) {
      const t = await withEnv({ ...productionEnv(), ...env }, () => createTestApp());
      try {
        const req = t.http().get('/metrics');
        if (auth) req.set('Authorization', auth);
        const res = await req;
        expect(res.status).toBe(status);
        if (status === 404) expect(res.headers['content-type']).toContain('application/problem+json');
      } finally {
        await t.close();
      }
    }
  }, 60_000);
});
