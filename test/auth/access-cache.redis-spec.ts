import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
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
 * load balancer. A change made on A takes effect on B's next request: B's access cache hears it through
 * Redis, and while B cannot hear (Redis cut) it does not use its cache at all (ADR 0020).
 */
describe('access cache across two API instances', () => {
  const target = new URL(REDIS_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-access-'));
  let a: TestApp;
  let b: TestApp;
  let adminOnA: UserWithToken;

  /** The user's token, sent to instance B. */
  const onB = (user: UserWithToken) => apiClient(b, user.auth);

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = new URL(REDIS_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const env = {
      REDIS_URL: viaProxy.toString(),
      QUEUE_PREFIX: `test-access-${randomUUID()}`,
      SQLITE_PATH: join(dir, 'fittrack.sqlite'),
    };
    a = await withEnv(env, () => createTestApp());
    b = await withEnv(env, () => createTestApp());
    adminOnA = await createUserWithToken(a, { role: 'admin' });
    await eventually(bCaches);
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

  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await a?.close();
    await b?.close();
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a suspension, a demotion and a deletion made on A are refused on B at the next request', async () => {
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

    await onB(suspended).get('/users/me').expect(401);
    await onB(demoted).get('/admin/users').expect(403);
    await onB(deleted).get('/users/me').expect(401);
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
    await onB(user).get('/users/me').expect(200);
    await adminOnA.client
      .put(`/users/${user.user.id}`)
      .send({ role: 'premium', status: 'suspended' })
      .expect(200);
    await onB(user).get('/users/me').expect(401);
  }, 30_000);
});
