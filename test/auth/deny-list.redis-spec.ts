import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { createUserWithToken, type UserWithToken } from '../support/api-client';
import { createTestApp, TestApp, withEnv } from '../support/test-app';
import { TcpProxy } from '../support/tcp-proxy';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const jtiOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string }).jti;

/**
 * The deny-list: the database is the truth, Redis (reached through a proxy the test cuts) a cache in front.
 * While Redis is down, after it comes back, and with the database down too, a revoked token is never let
 * through and a valid one works whenever anything can check it.
 */
describe('deny-list with Redis cut through a TCP proxy', () => {
  const target = new URL(REDIS_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-deny-'));
  const prefix = `fittrack-test-${randomUUID()}`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  let t: TestApp;
  let revoked: UserWithToken;
  let valid: UserWithToken;

  beforeAll(async () => {
    // Redis is what this suite is about: unreachable is a failure, never a skip.
    await redis.connect();
    await proxy.start();
    t = await withEnv(
      {
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        QUEUE_PREFIX: prefix,
        SQLITE_PATH: join(dir, 'fittrack.sqlite'),
      },
      () => createTestApp(),
    );
    revoked = await createUserWithToken(t);
    valid = await createUserWithToken(t);
    await revoked.client.post('/auth/logout').send({}).expect(204);
  });

  afterAll(async () => {
    await t?.close();
    await proxy.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const me = (user: UserWithToken) => user.client.get('/users/me');
  const ready = () => t.http().get('/health/ready');
  const denyListCheck = async () => (await ready()).body.checks.deny_list;
  const cached = (token: string) => redis.exists(`${prefix}:jwt-deny:${jtiOf(token)}`);

  it('Redis up: the revoked token is refused from the cache, the valid one works', async () => {
    expect(await cached(revoked.token)).toBe(1);
    expect(await waitFor(denyListCheck, (check) => check?.source === 'redis')).toMatchObject({
      status: 'up',
      source: 'redis',
    });
    await me(revoked).expect(401);
    await me(valid).expect(200);
  });

  it('Redis down: the database answers; revoked stays refused, valid keeps working, logout still works', async () => {
    await proxy.stop();
    await me(revoked).expect(401);
    await me(valid).expect(200);
    const res = await ready();
    expect(res.body.checks.deny_list).toMatchObject({
      status: 'up',
      source: 'database',
      redis: 'unreachable',
    });

    const late = await createUserWithToken(t);
    await late.client.post('/auth/logout').send({}).expect(204);
    await me(late).expect(401);
    // Redis never saw this denial...
    expect(await cached(late.token)).toBe(0);
    revoked = late;
  }, 20_000);

  it('Redis back: the denial it missed is copied in before it is trusted again', async () => {
    await proxy.start();
    // Until the refill, the database answers; after it, Redis holds the missed denial.
    await me(revoked).expect(401);
    expect(
      await waitFor(
        () => cached(revoked.token),
        (n) => n === 1,
      ),
    ).toBe(1);
    expect(await waitFor(denyListCheck, (check) => check?.source === 'redis')).toMatchObject({
      source: 'redis',
    });
    await me(revoked).expect(401);
    await me(valid).expect(200);
  }, 20_000);

  it('Redis and the database both down: 503 problem+json, never a pass; readiness says why', async () => {
    const dataSource = t.app.get(DataSource);
    await proxy.stop();
    await dataSource.destroy();
    try {
      for (const user of [revoked, valid]) {
        const res = await me(user);
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.detail).toMatch(/cannot be checked right now/);
      }
      const res = await ready().expect(503);
      expect(res.body.checks.deny_list).toMatchObject({ status: 'down' });
      expect(res.body.checks.database).toMatchObject({ status: 'down' });
    } finally {
      await dataSource.initialize();
      await proxy.start();
    }
    await me(revoked).expect(401);
    await me(valid).expect(200);
  }, 20_000);
});
