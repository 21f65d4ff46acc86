import { createTestApp, TestApp } from './support/test-app';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health answers ok without touching dependencies', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /health/live answers ok', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
  });

  it('GET /health/ready reports the database and its server version', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    const expected = process.env.TEST_DB === 'postgres' ? /PostgreSQL \d+/ : /^SQLite 3\.\d+/;
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database).toMatchObject({
      status: 'up',
      version: expect.stringMatching(expected),
    });
  });

  it('echoes a valid X-Request-Id and replaces a hostile one', async () => {
    const echoed = await t.http().get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.http().get('/health').set('X-Request-Id', '<script>').expect(200);
    expect(replaced.headers['x-request-id']).not.toBe('<script>');
  });

  it('unknown routes are problem+json 404 with the request id', async () => {
    const res = await t.http().get('/api/v1/no-such-thing').set('X-Request-Id', 'req-1').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 404,
      title: 'Not Found',
      request_id: 'req-1',
      instance: '/api/v1/no-such-thing',
    });
  });

  it('unknown routes outside the API prefix are problem+json 404 too', async () => {
    const res = await t.http().get('/no-such-page?x=1').set('X-Request-Id', 'req-2').expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, detail: 'Cannot GET /no-such-page', request_id: 'req-2' });
  });

  it('malformed JSON is 400 and a body over 1 MiB is 413', async () => {
    const bad = await t
      .http()
      .post('/api/v1/anything')
      .set('Content-Type', 'application/json')
      .send('{bad')
      .expect(400);
    expect(bad.body.detail).toBe('Malformed JSON body');
    const big = JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) });
    const res = await t
      .http()
      .post('/api/v1/anything')
      .set('Content-Type', 'application/json')
      .send(big)
      .expect(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('serves Swagger UI at /docs and the OpenAPI JSON at /docs-json', async () => {
    await t.http().get('/docs').expect(200);
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/health/ready']).toBeDefined();
  });
});
