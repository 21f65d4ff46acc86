import { randomUUID } from 'node:crypto';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TestApp, withEnv } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const LIMIT = 6;

/** Starts right after a minute boundary is at least 5 s away, so one window holds the whole test. */
async function awayFromWindowEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('the global rate limit is shared through Redis and degrades to per-instance counts', () => {
  const target = new URL(REDIS_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  const apps: TestApp[] = [];
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = new URL(REDIS_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    // Two API instances on one Redis (same prefix), as behind a load balancer.
    const env = {
      REDIS_URL: viaProxy.toString(),
      QUEUE_PREFIX: `test-ratelimit-${randomUUID()}`,
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
    };
    a = await withEnv(env, () => createTestApp());
    apps.push(a);
    b = await withEnv(env, () => createTestApp());
    apps.push(b);
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    for (const app of apps) await app.close();
    await proxy.stop();
  });

  it('counts one client across both instances, and per instance while Redis is unreachable', async () => {
    await awayFromWindowEdge();
    const ip = '203.0.113.7';
    // Requests of one anonymous client through the trusted loopback proxy, alternating instances.
    const hit = (app: TestApp, from = ip) => app.http().get('/api/v1/drawings').set('X-Forwarded-For', from);
    for (let i = 0; i < LIMIT / 2; i++) {
      expect((await hit(a)).status).not.toBe(429);
      expect((await hit(b)).status).not.toBe(429);
    }
    const refused = await hit(a).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await hit(b).expect(429);
    // Another client has its own count.
    expect((await hit(b, '203.0.113.8')).status).not.toBe(429);

    // Redis unreachable: requests are still served, each instance counting on its own.
    await proxy.stop();
    const other = '203.0.113.9';
    for (let i = 0; i < LIMIT; i++) expect((await hit(a, other)).status).not.toBe(429);
    await hit(a, other).expect(429);
    expect((await hit(b, other)).status).not.toBe(429);
  }, 30_000);
});
