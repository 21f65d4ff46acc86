import { createTestApp, TestApp } from '../support/test-app';
import { TcpProxy } from '../support/tcp-proxy';

const onPostgres = process.env.TEST_DB === 'postgres';

if (onPostgres) {
  describe('readiness follows PostgreSQL going down and coming back, without a restart', () => {
    const originalUrl = process.env.DATABASE_URL!;
    const target = new URL(originalUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    let t: TestApp;

    beforeAll(async () => {
      await proxy.start();
      const viaProxy = new URL(originalUrl);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      process.env.DATABASE_URL = viaProxy.toString();
      t = await createTestApp();
    });

    afterAll(async () => {
      process.env.DATABASE_URL = originalUrl;
      await t?.close();
      await proxy.stop();
    });

    it('is ready while the database answers', async () => {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.checks.database).toMatchObject({ status: 'up', type: 'postgres' });
    });

    it('answers 503 within a few seconds once the database is unreachable', async () => {
      await proxy.stop();
      const started = Date.now();
      const res = await t.http().get('/health/ready').expect(503);
      expect(Date.now() - started).toBeLessThan(7000);
      expect(res.body).toEqual({
        status: 'unavailable',
        checks: {
          database: { status: 'down', error: 'unreachable' },
          // Without Redis this process holds its copy of the deny-list (ADR 0010), which still answers.
          deny_list: { status: 'up', source: 'memory', latency_ms: expect.any(Number) },
        },
      });
      // The reason is a category, never the driver's message (hosts, ports, credentials).
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|postgres:|ECONN/);
      // Liveness does not depend on the database: the process is fine, only not ready.
      await t.http().get('/health/live').expect(200);
    }, 15_000);

    it('is ready again when the database is back', async () => {
      await proxy.start();
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.checks.database).toMatchObject({
        status: 'up',
        version: expect.stringMatching(/PostgreSQL \d+/),
      });
    }, 15_000);
  });
} else {
  describe('readiness on the embedded SQLite database', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('reports the SQLite version (it cannot go down: it is a file in this process)', async () => {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        checks: {
          database: {
            status: 'up',
            type: 'sqlite',
            version: expect.stringMatching(/^SQLite 3\.\d+\.\d+$/),
            latency_ms: expect.any(Number),
          },
          deny_list: { status: 'up', source: 'memory', latency_ms: expect.any(Number) },
        },
      });
    });
  });
}
