import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AccessCache } from '@fittrack/users';
import { apiClient, createUserWithToken, type UserWithToken } from '../support/api-client';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TestApp, withEnv } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Two API instances on one database and one Redis (reached through a proxy the test cuts), as behind a
 * load balancer. A change made on A takes effect on B as soon as A's message arrives: B's access cache hears it through
 * Redis, and while B cannot hear (Redis cut) it does not use its cache at all (ADR 0020).
 */
describe('access cache across two API instances', () => {
  const target = new URL(REDIS_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-access-'));
  let a: TestApp;
  let b: TestApp;
  let adminOnA: UserWithToken;
  /** Hears, straight from Redis (not through the proxy), what the instances publish. */
  const listener = new Redis(REDIS_URL);
  const heard = new Set<string>();

  /** The user's token, sent to instance B. */
  const onB = (user: UserWithToken) => apiClient(b, user.auth);

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = new URL(REDIS_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const prefix = `test-access-${randomUUID()}`;
    listener.on('message', (_channel: string, userId: string) => heard.add(userId));
    await listener.subscribe(`${prefix}:access-changed`);
    const env = {
      REDIS_URL: viaProxy.toString(),
      QUEUE_PREFIX: prefix,
      SQLITE_PATH: join(dir, 'fittrack.sqlite'),
    };
    a = await withEnv(env, () => createTestApp());
    b = await withEnv(env, () => createTestApp());
    adminOnA = await createUserWithToken(a, { role: 'admin' });
    await eventually(bCaches);
    await eventually(aPublishes);
  });

  /**
   * Whether B answers from its cache now: a user B has seen is suspended behind the repositories' back
   * (raw SQL, so nobody is told) and B still lets them in.
   */
  async function bCaches(): Promise<boolean> {
    const probe = await createUserWithToken(a);
    await onB(probe).get('/users/me').expect(200);
    await a.app
      .get(DataSource)
      .query(`UPDATE "users" SET "status" = 'suspended' WHERE "id" = '${probe.user.id}'`);
    return (await onB(probe).get('/users/me')).status === 200;
  }

  /**
   * Whether A's publisher reaches Redis again: its clients reconnect each on their own back-off, so B may
   * listen before A can publish (a change made meanwhile lapses from B's cache within its TTL, ADR 0020).
   */
  async function aPublishes(): Promise<boolean> {
    const probe = randomUUID();
    await a.app.get(AccessCache).forgetEverywhere(probe);
    const deadline = Date.now() + 500;
    while (!heard.has(probe) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return heard.has(probe);
  }

  /**
   * B answers `status` within a second: A's message reaches B over another socket than the test's next
   * request (here through the proxy too), so it may arrive a moment after A's response. A second is well
   * inside the cache's 5 s TTL (the entry was stored just before), so only the message can do it.
   */
  async function bRefusesSoon(user: UserWithToken, path: string, status: number): Promise<void> {
    await eventually(async () => (await onB(user).get(path)).status === status, 1_000);
  }

  afterAll(async () => {
    listener.disconnect();
    await proxy.start().catch(() => undefined);
    await a?.close();
    await b?.close();
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a suspension, a demotion and a deletion made on A are refused on B as soon as the message arrives', async () => {
    const suspended = await createUserWithToken(a);
    const demoted = await createUserWithToken(a, { role: 'admin' });
    const deleted = await createUserWithToken(a);
    await onB(suspended).get('/users/me').expect(200);
    await onB(demoted).get('/admin/users').expect(200);
    await onB(deleted).get('/users/me').expect(200);
    // B answers these users from its cache now (bCaches): only A's message can make B refuse them.

    await adminOnA.client.put(`/users/${suspended.user.id}`).send({ status: 'suspended' }).expect(200);
    await adminOnA.client.put(`/users/${demoted.user.id}`).send({ role: 'user' }).expect(200);
    await adminOnA.client.delete(`/users/${deleted.user.id}`).expect(204);

    await bRefusesSoon(suspended, '/users/me', 401);
    await bRefusesSoon(demoted, '/admin/users', 403);
    await bRefusesSoon(deleted, '/users/me', 401);
  });

  it('while Redis is cut, B reads every request from the database (fail-closed), then caches again', async () => {
    await proxy.stop();
    await eventually(async () => !(await bCaches()));
    const user = await createUserWithToken(a);
    await onB(user).get('/users/me').expect(200);
    // A cannot publish now, and B cannot hear: B must not answer from a cache.
    await adminOnA.client.put(`/users/${user.user.id}`).send({ status: 'suspended' }).expect(200);
    await onB(user).get('/users/me').expect(401);
    await adminOnA.client.put(`/users/${user.user.id}`).send({ status: 'active' }).expect(200);
    await onB(user).get('/users/me').expect(200);

    // Redis back: B subscribes again, caches again, and hears changes made on A.
    await proxy.start();
    await eventually(bCaches);
    await eventually(aPublishes);
    await onB(user).get('/users/me').expect(200);
    await adminOnA.client
      .put(`/users/${user.user.id}`)
      .send({ role: 'premium', status: 'suspended' })
      .expect(200);
    await bRefusesSoon(user, '/users/me', 401);
  }, 30_000);
});
