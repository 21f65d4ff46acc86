import { createTestApp, TestApp } from '../support/test-app';
import { uniqueEmail } from './helpers';

/** The per-IP limit on credential endpoints, at its default of 10 per minute. */
describe('auth rate limit', () => {
  let t: TestApp;
  let previous: string | undefined;
  beforeAll(async () => {
    previous = process.env.AUTH_RATE_LIMIT_PER_MINUTE;
    process.env.AUTH_RATE_LIMIT_PER_MINUTE = '10';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.AUTH_RATE_LIMIT_PER_MINUTE = previous;
  });

  it('the 11th login in a minute from one IP is 429 problem+json with Retry-After', async () => {
    const body = { email: uniqueEmail('throttled'), password: 'Wrong-Passw0rd!' };
    for (let i = 1; i <= 10; i++) {
      await t.http().post('/api/v1/auth/login').send(body).expect(401);
    }
    const res = await t.http().post('/api/v1/auth/login').send(body).expect(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.status).toBe(429);
    // Routes without the limit are unaffected.
    await t.http().get('/health').expect(200);
  });

  it('limits register and forgot-password too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await t
        .http()
        .post('/api/v1/auth/forgot-password')
        .send({ email: uniqueEmail('f') });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(statuses[10]).toBe(429);
  });
});
