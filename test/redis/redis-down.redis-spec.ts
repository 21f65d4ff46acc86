import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import { QueuePort } from '@fittrack/core';
import { EmailOutboxRepository } from '@fittrack/notifications';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { lastEmailTo, registration } from '../auth/helpers';
import { createUserWithToken, type UserWithToken } from '../support/api-client';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const LIMIT = 8;

jest.setTimeout(90_000);

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts when the current rate-limit window has at least 15 s left, so one window holds the checks. */
async function awayFromWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/**
 * Redis goes away (a TCP proxy in front of it is cut) under a running API and worker, then comes back:
 * reads keep being served, enqueued work is held and completes once Redis returns, the global rate limit
 * counts per instance meanwhile, readiness says `redis` is down and recovers without a restart.
 */
describe('Redis down and back', () => {
  const target = new URL(REDIS_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-redis-down-'));
  const prefix = `fittrack-redis-down-${randomUUID()}`;
  let t: TestApp;
  let worker: TestingModule;
  let user: UserWithToken;
  /** The address whose verification email was enqueued while Redis was down. */
  let pending = '';

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = new URL(REDIS_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const env = {
      REDIS_URL: viaProxy.toString(),
      QUEUE_PREFIX: prefix,
      // API and worker share one database file, as two processes would.
      SQLITE_PATH: join(dir, 'fittrack.sqlite'),
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
    };
    t = await withEnv(env, () => createTestApp());
    worker = await withEnv(env, async () => {
      const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
      moduleRef.useLogger(['error']);
      return moduleRef.init();
    });
    user = await createUserWithToken(t);
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await worker?.close();
    await t?.close();
    await proxy.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const ready = async () => {
    const res = await t.http().get('/health/ready');
    return { status: res.status, checks: res.body.checks as Record<string, { status: string }> };
  };
  const heldJobs = () => (t.app.get(QueuePort) as QueuePort & { heldJobs: number }).heldJobs;
  const emailStatus = async (to: string) =>
    (await t.app.get(EmailOutboxRepository).getOrFail((await lastEmailTo(t, to)).id)).status;

  it('Redis up: ready, with a worker consuming', async () => {
    expect(await waitFor(ready, (r) => r.status === 200)).toMatchObject({
      checks: { redis: { status: 'up' }, workers: { status: 'up' } },
    });
  });

  it('Redis down: reads served, enqueued work held, per-instance rate limit, readiness 503 naming redis', async () => {
    await awayFromWindowEdge();
    await proxy.stop();

    // Reads: the caller (deny-list from the database), profile and boards.
    await user.client.get('/users/me').expect(200);
    await user.client.get('/leaderboards').expect(200);
    await user.client.get('/leaderboards/weekly').query({ tier: 'OPEN' }).expect(200);

    // A registration commits and answers at once; its verification email waits in the outbox while
    // its job is held in the API process.
    const body = registration();
    const started = Date.now();
    await t
      .http()
      .post('/api/v1/auth/register')
      .set('X-Forwarded-For', '198.51.100.1')
      .send(body)
      .expect(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await emailStatus(body.email)).toBe('pending');
    expect(heldJobs()).toBe(1);
    pending = body.email;

    // The global limit still holds, counted by this instance (ADR 0016): 429 past it, with Retry-After.
    const anonymous = () => t.http().get('/api/v1/leaderboards').set('X-Forwarded-For', '198.51.100.2');
    for (let i = 0; i < LIMIT; i++) expect((await anonymous()).status).not.toBe(429);
    const limited = await anonymous().expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const down = await waitFor(ready, (r) => r.status === 503 && r.checks.redis.status === 'down');
    expect(down.checks).toMatchObject({ database: { status: 'up' }, redis: { status: 'down' } });
  });

  it('Redis back: ready again without a restart, and the held work completes', async () => {
    await proxy.start();
    expect(await waitFor(ready, (r) => r.status === 200)).toMatchObject({
      checks: { redis: { status: 'up' }, workers: { status: 'up' } },
    });
    expect(
      await waitFor(
        () => emailStatus(pending),
        (status) => status === 'sent',
      ),
    ).toBe('sent');
    expect(heldJobs()).toBe(0);
  });
});
