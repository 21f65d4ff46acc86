import { DataSource, QueryRunner } from 'typeorm';
import { DatabaseService, LoadShedder, LOG_DESTINATION, Metrics } from '@fittrack/core';
import { registration } from '../auth/helpers';
import { createUserWithToken, type UserWithToken } from '../support/api-client';
import { CapturedLog } from '../support/captured-log';
import { createTestApp, TestApp, withEnv } from '../support/test-app';

const onPostgres = process.env.TEST_DB === 'postgres';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps this process's event loop (the app's: it runs in the test process) busy for `ms`. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

async function shedCount(t: TestApp, reason: string): Promise<number> {
  const metric = await t.app.get(Metrics).requestsShed.get();
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

function expectBusy(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('2');
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 503, detail: 'The service is busy; try again shortly' });
}

describe('load shedding on an overloaded event loop (ADR 0032)', () => {
  const log = new CapturedLog();
  let t: TestApp;
  let member: UserWithToken;
  beforeAll(async () => {
    t = await withEnv({ OVERLOAD_EVENT_LOOP_DELAY_MS: '100', LOG_LEVEL: 'log' }, () =>
      createTestApp({ customize: (b) => b.overrideProvider(LOG_DESTINATION).useValue(log) }),
    );
    member = await createUserWithToken(t);
  });
  afterAll(() => t?.close());

  it('answers /api/v1 with 503 + Retry-After at once while /health/live and /metrics still answer, then serves again', async () => {
    await member.auth(t.http().get('/api/v1/users/me')).expect(200);
    const shedBefore = await shedCount(t, 'event_loop');

    // A saturated loop: every turn of it takes 250 ms, as long as this runs.
    const saturation = setInterval(() => blockEventLoop(250), 1);
    try {
      const shedder = t.app.get(LoadShedder);
      while (!shedder.overloaded) await sleep(50);
      expectBusy(await member.auth(t.http().get('/api/v1/users/me').set('X-Request-Id', 'shed-me')));
      expectBusy(await t.http().post('/api/v1/auth/login').send({ email: member.user.email, password: 'x' }));
      await t.http().get('/health/live').expect(200);
      await t.http().get('/metrics').expect(200);
    } finally {
      clearInterval(saturation);
    }
    expect(await shedCount(t, 'event_loop')).toBe(shedBefore + 2);
    // Expected under overload, so one warn line each, without a made-up error and its stack.
    const shedLines = log.lines.filter((line) => line.request_id === 'shed-me');
    expect(shedLines).toEqual([
      expect.objectContaining({ level: 40, msg: 'request shed', status: 503, path: '/api/v1/users/me' }),
    ]);
    expect(shedLines[0]).not.toHaveProperty('err');

    // Once a calm window passes, requests are served again.
    let status = 503;
    for (let i = 0; i < 40 && status !== 200; i++) {
      await sleep(100);
      status = (await member.auth(t.http().get('/api/v1/users/me'))).status;
    }
    expect(status).toBe(200);
  });
});

if (onPostgres) {
  describe('a bounded wait for a PostgreSQL pool connection (ADR 0032)', () => {
    // Long enough for close(), which checks the ledgers with parallel queries on this small pool.
    const WAIT_MS = 1000;
    let t: TestApp;
    let member: UserWithToken;
    let held: QueryRunner[] = [];
    beforeAll(async () => {
      t = await withEnv({ DB_POOL_SIZE: '2', DB_POOL_WAIT_MS: String(WAIT_MS) }, () => createTestApp());
      member = await createUserWithToken(t);
      await member.client.put('/users/me').send({ display_name: 'Before' }).expect(200);
    });
    afterEach(() => release());
    afterAll(() => t?.close());

    /** Takes every connection of the app's pool and keeps them until release(). */
    async function holdPool(): Promise<void> {
      const dataSource = t.app.get(DataSource);
      held = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
      await Promise.all(held.map((runner) => runner.connect()));
    }
    async function release(): Promise<void> {
      await Promise.all(held.map((runner) => runner.release()));
      held = [];
    }

    it('answers a registration 503 busy + Retry-After while the pool stays held, writes nothing, then serves it', async () => {
      const busyBefore = await shedCount(t, 'db_pool_wait');
      const body = registration();
      await holdPool();
      // The pool is given back 2 s after the wait would have run out: a request still waiting then (a
      // wait longer than DB_POOL_WAIT_MS, or none at all) gets a connection and registers.
      const releasing = sleep(WAIT_MS + 2000).then(release);
      const started = performance.now();
      expectBusy(await t.http().post('/api/v1/auth/register').send(body));
      expect(performance.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 10);
      expect(await shedCount(t, 'db_pool_wait')).toBe(busyBefore + 1);
      await releasing;

      const stored = await t.app.get(DataSource).query('SELECT id FROM users WHERE email = $1', [body.email]);
      expect(stored).toEqual([]);
      await t.http().post('/api/v1/auth/register').send(body).expect(201);
    });

    it('refuses an authenticated write 503 + Retry-After (not 401) while the pool is held, stays ready; the write changes nothing', async () => {
      await holdPool();
      const res = await member.client.put('/users/me').send({ display_name: 'During' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.headers['content-type']).toContain('application/problem+json');
      // Saturated, not down: the instance stays in the load balancer and sheds.
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.checks.database).toMatchObject({ status: 'up', pool: 'busy' });
      await release();

      expect((await member.client.get('/users/me').expect(200)).body.profile.display_name).toBe('Before');
      await member.client.put('/users/me').send({ display_name: 'After' }).expect(200);
      expect((await member.client.get('/users/me').expect(200)).body.profile.display_name).toBe('After');
    });

    it('answers a login 503 busy while no connection is free, and counts no failed login against the account', async () => {
      await holdPool();
      expectBusy(
        await t
          .http()
          .post('/api/v1/auth/login')
          .send({ email: member.user.email, password: 'Wrong-Passw0rd!' }),
      );
      await release();
      const [user] = await t.app
        .get(DataSource)
        .query('SELECT failed_login_count FROM users WHERE id = $1', [member.user.id]);
      expect(user.failed_login_count).toBe(0);
    });
  });

  describe("a bound on the pool's queue (ADR 0032)", () => {
    let t: TestApp;
    let held: QueryRunner | undefined;
    beforeAll(async () => {
      t = await withEnv({ DB_POOL_SIZE: '1', DB_POOL_WAIT_MS: '10000', DB_POOL_MAX_WAITING: '2' }, () =>
        createTestApp(),
      );
    });
    afterAll(async () => {
      await held?.release();
      await t?.close();
    });

    it('sheds new API requests on arrival while that many queries wait; the waiting ones are served once a connection frees', async () => {
      const shedBefore = await shedCount(t, 'db_pool_queue');
      held = t.app.get(DataSource).createQueryRunner();
      await held.connect();
      const bodies = [registration(), registration()];
      const waiting = bodies.map((body) =>
        t
          .http()
          .post('/api/v1/auth/register')
          .send(body)
          .then((res) => res),
      );
      const database = t.app.get(DatabaseService);
      while (database.poolWaiting() < 2) await sleep(10);

      const third = registration();
      expectBusy(await t.http().post('/api/v1/auth/register').send(third));
      await t.http().get('/health/live').expect(200);
      expect(await shedCount(t, 'db_pool_queue')).toBe(shedBefore + 1);

      await held.release();
      held = undefined;
      expect((await Promise.all(waiting)).map((res) => res.status)).toEqual([201, 201]);
      const stored = await t.app
        .get(DataSource)
        .query('SELECT email FROM users WHERE email = $1', [third.email]);
      expect(stored).toEqual([]);
    });
  });

  describe('an access check the busy pool prevents (ADR 0032)', () => {
    let t: TestApp;
    let held: QueryRunner[] = [];
    beforeAll(async () => {
      // A 1 s wait: close() checks the ledgers with parallel queries on this one connection.
      t = await withEnv({ DB_POOL_SIZE: '1', DB_POOL_WAIT_MS: '1000', RATE_LIMIT_PER_MINUTE: '3' }, () =>
        createTestApp(),
      );
    });
    afterAll(async () => {
      await Promise.all(held.map((runner) => runner.release()));
      await t?.close();
    });

    it('answers 503 busy, not 401, and never counts against the IP (no 429 for it or the next caller)', async () => {
      const member = await createUserWithToken(t);
      held = [t.app.get(DataSource).createQueryRunner()];
      await held[0].connect();
      // Twice the per-minute limit: had each counted against 127.0.0.1, the last ones would be 429.
      for (let i = 0; i < 6; i++) expectBusy(await member.auth(t.http().get('/api/v1/users/me')));
      await held[0].release();
      held = [];
      await member.auth(t.http().get('/api/v1/users/me')).expect(200);
      // A refused token from the same IP is still 401, not 429: the busy answers left its count alone.
      await t.http().get('/api/v1/users/me').set('Authorization', 'Bearer not-a-token').expect(401);
    });
  });
}
