// First: this spec's own PostgreSQL database, before any entity loads.
import { createOwnDatabase, dropOwnDatabase } from '../trackers/own-postgres';
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Bull from 'bull';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TokenService } from '@fittrack/auth';
import { calendarDateIn, JobName, QueueName } from '@fittrack/core';
import { FakeTerra, TrackerConnection } from '@fittrack/trackers';
import type { User } from '@fittrack/users';
import { createUser } from '../api/fixtures';
import { asUser, createUserWithToken, TEST_PASSWORD } from '../support/api-client';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { createDrawing, memberWithPoints } from '../sweepstakes/support';
import { freePort, TERRA_TEST, terraEnv } from '../trackers/helpers';

const ROOT = join(__dirname, '../..');
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** The global limit the two APIs run with: low enough to reach, high enough for every other test's requests. */
const LIMIT = 20;

jest.setTimeout(240_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

/** Waits, if need be, for the next minute: then at least `ms` are left before the following boundary. */
async function atLeastLeftInMinute(ms: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await sleep(left + 100);
}

/**
 * Item 6 of issue 14: two API processes and two worker processes (the real entry points, each its own
 * process) on one PostgreSQL database of this spec's own and one Redis (a queue prefix of its own) behave
 * as one. The workers' wall-clock cron ticks are on. This process only writes fixtures, through an app of
 * its own on another Redis prefix (its requests count in no limit of the two APIs), and reads the database.
 */
describe('two API and two worker processes on one database and one Redis', () => {
  const prefix = `fittrack-scale-out-${randomUUID()}`;
  const fake = new FakeTerra(TERRA_TEST);
  const children: ChildProcess[] = [];
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let fixtures: TestApp;
  let db: DataSource;
  let tokens: TokenService;
  let a: string;
  let b: string;

  /** Environment every process shares: the database (own-postgres set it), Redis, keys, Terra. */
  const shared = (terraUrl: string) => ({
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...terraEnv(terraUrl),
  });

  /** One app process from its entry point; resolves once `ready` says so (it fails if the process exits). */
  async function start(
    entry: string,
    env: Record<string, string>,
    ready: (output: string) => Promise<boolean>,
  ) {
    const child = spawn(process.execPath, [join(__dirname, 'entry-process.js'), entry], {
      cwd: ROOT,
      env: { ...process.env, DB_MIGRATE_ON_BOOT: 'false', SCHEDULER_TICKS: 'true', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${entry} exited during boot (${child.exitCode}):\n${output}`);
        return ready(output);
      },
      Boolean,
      180_000,
    );
  }

  const healthy = (base: string) => () =>
    fetch(`${base}/health/ready`).then(
      (res) => res.status === 200,
      () => false,
    );
  const tokenOf = (user: Pick<User, 'id' | 'email' | 'role'>) => tokens.signAccessToken(user).token;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    await createOwnDatabase();
    const terraUrl = await fake.listen(0);
    // The fixtures' app migrates the database before the four processes start on it.
    fixtures = await withEnv({ ...shared(terraUrl), QUEUE_PREFIX: `${prefix}-fixtures` }, () =>
      createTestApp(),
    );
    db = fixtures.app.get(DataSource);
    tokens = fixtures.app.get(TokenService);
    const env = { ...shared(terraUrl), RATE_LIMIT_PER_MINUTE: String(LIMIT) };
    // Workers log at `log` level for their "consuming" line; the APIs are ready once /health/ready says so
    // (it checks that workers consume).
    const consuming = async (output: string) => output.includes('consuming Bull queues');
    await Promise.all([
      start('worker', { ...env, LOG_LEVEL: 'log' }, consuming),
      start('worker', { ...env, LOG_LEVEL: 'log' }, consuming),
    ]);
    const [portA, portB] = [await freePort(), await freePort()];
    a = `http://127.0.0.1:${portA}`;
    b = `http://127.0.0.1:${portB}`;
    await Promise.all([
      start('api', { ...env, PORT: String(portA), HOST: '127.0.0.1' }, healthy(a)),
      start('api', { ...env, PORT: String(portB), HOST: '127.0.0.1' }, healthy(b)),
    ]);
  });

  afterAll(async () => {
    // A graceful stop (SIGTERM), or SIGKILL after 20 s.
    await Promise.all(
      children
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          return exited.then(() => clearTimeout(timer));
        }),
    );
    await fixtures?.close();
    await fake.close();
    for (const p of [prefix, `${prefix}-fixtures`]) {
      for (const name of Object.values(QueueName)) {
        const queue = new Bull(name, REDIS_URL, { prefix: p });
        await queue.obliterate({ force: true });
        await queue.close();
      }
    }
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await dropOwnDatabase();
  });

  it('a token revoked by logging out on A is refused on B', async () => {
    const { user } = await createUserWithToken(fixtures);
    const login = await request(a)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '198.51.100.10')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const auth = bearer(login.body.access_token);
    await request(b).get('/api/v1/users/me').set(auth).expect(200);
    await request(a).post('/api/v1/auth/logout').set(auth).send({}).expect(204);
    await request(b).get('/api/v1/users/me').set(auth).expect(401);
    await request(a).get('/api/v1/users/me').set(auth).expect(401);
  });

  it('the global rate limit counts a user, and an anonymous client, across both APIs', async () => {
    await atLeastLeftInMinute(15_000);
    const auth = bearer(tokenOf(await createUser(fixtures)));
    const me = (base: string) => request(base).get('/api/v1/users/me').set(auth);
    for (let i = 0; i < LIMIT / 2; i++) {
      expect((await me(a)).status).toBe(200);
      expect((await me(b)).status).toBe(200);
    }
    const refused = await me(b).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await me(a).expect(429);

    const anonymous = (base: string, ip = '198.51.100.20') =>
      request(base).get('/api/v1/drawings').set('X-Forwarded-For', ip);
    for (let i = 0; i < LIMIT / 2; i++) {
      expect((await anonymous(a)).status).toBe(401);
      expect((await anonymous(b)).status).toBe(401);
    }
    await anonymous(a).expect(429);
    await anonymous(b).expect(429);
    expect((await anonymous(b, '198.51.100.21')).status).toBe(401);
  });

  it('a leaderboard read on B shows points earned through a webhook A received', async () => {
    const member = await createUser(fixtures, {}, { tierCode: 'F-30-39-INT' });
    const auth = bearer(tokenOf(member));
    const board = async () =>
      (
        await request(b)
          .get('/api/v1/leaderboards/alltime')
          .query({ tier: 'F-30-39-INT' })
          .set(auth)
          .expect(200)
      ).body as { my_position: { points: number } | null };
    // Read twice on B before: the board is cached (for up to 5 minutes unless invalidated).
    expect((await board()).my_position).toBeNull();
    expect((await board()).my_position).toBeNull();

    const terraUserId = randomUUID();
    await db.getRepository(TrackerConnection).save({
      id: randomUUID(),
      userId: member.id,
      provider: 'fitbit',
      terraUserId,
      isPrimary: true,
      syncStatus: 'ok',
      lastSyncAt: new Date(),
      createdAt: new Date(Date.now() - 30 * 86_400_000),
    });
    fake.createUser('FITBIT', member.id, terraUserId);
    fake.webhookUrl = `${a}/api/v1/webhooks/terra`;
    const yesterday = calendarDateIn(new Date(Date.now() - 86_400_000), 'America/New_York');
    const statuses = await fake.pushData(terraUserId, 'daily', [yesterday]);
    expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);

    // A worker ingests it (a job A queued); the ledger is the truth the board must show on B.
    const trackers = new Bull(QueueName.Trackers, REDIS_URL, { prefix });
    try {
      await waitFor(
        async () => {
          const counts = await trackers.getJobCounts();
          return counts.waiting + counts.active + counts.delayed === 0 && counts.completed > 0;
        },
        Boolean,
        60_000,
      );
    } finally {
      await trackers.close();
    }
    const [{ earned }] = await db.query(
      'SELECT COALESCE(SUM(amount), 0) AS earned FROM point_transactions WHERE user_id = $1',
      [member.id],
    );
    expect(Number(earned)).toBeGreaterThan(0);
    expect((await board()).my_position?.points).toBe(Number(earned));
  });

  it('drawings due at a tick move once though both workers tick; concurrent executions on A and B draw once', async () => {
    const admin = await createUser(fixtures, { role: 'admin' });
    const asAdmin = asUser(fixtures, admin);
    const buyers = await Promise.all([1, 2, 3].map(() => memberWithPoints(fixtures, 1000)));
    const prizes = [1, 2].map((rank) => ({
      rank,
      name: `Prize ${rank}`,
      value_usd: 10,
      fulfillment_type: 'digital',
      digital_code: `CODE-${rank}`,
    }));
    /** Open, with tickets bought by every buyer, sales closing in 8 s. */
    const withTickets = async (drawingInSeconds: number) => {
      const now = Date.now();
      const drawing = await createDrawing(fixtures, asAdmin, 'open', {
        ticket_sales_close: new Date(now + 8_000).toISOString(),
        drawing_time: new Date(now + drawingInSeconds * 1000).toISOString(),
        prizes,
      });
      for (const buyer of buyers) {
        await asUser(fixtures, buyer)
          .post(`/drawings/${drawing.id}/tickets`)
          .send({ quantity: 2 })
          .expect(201);
      }
      return { id: drawing.id, drawingTime: now + drawingInSeconds * 1000 };
    };

    // Everything is due before the next minute's tick (else a later tick moves it: slower, still once).
    await atLeastLeftInMinute(30_000);
    const toOpen = (await createDrawing(fixtures, asAdmin, 'scheduled')).id;
    const toClose = await withTickets(3600);
    const toExecute = await withTickets(10);
    const raced = await withTickets(10);
    await sleep(Math.max(0, raced.drawingTime + 200 - Date.now()));
    for (const drawing of [toExecute, raced]) {
      await asAdmin.put(`/admin/drawings/${drawing.id}`).send({ status: 'closed' }).expect(200);
    }

    // Three executions at once on each API: one draws, every answer shows the same winners.
    const adminAuth = bearer(tokenOf(admin));
    const answers = await Promise.all(
      [a, b, a, b, a, b].map((base) =>
        request(base).post(`/api/v1/admin/drawings/${raced.id}/execute`).set(adminAuth),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(200);
    const winners = answers.map((answer) => JSON.stringify(answer.body.winners));
    expect(new Set(winners).size).toBe(1);
    expect(answers[0].body.winners).toHaveLength(prizes.length);

    // The minute tick of both workers: one job for the minute, each due drawing moved one step, once.
    const status = async (id: string) =>
      ((await db.query('SELECT status FROM drawings WHERE id = $1', [id])) as { status: string }[])[0].status;
    await waitFor(
      async () => [await status(toOpen), await status(toClose.id), await status(toExecute.id)].join(),
      (value) => value === 'open,closed,completed',
      150_000,
    );
    const audit = async (id: string, action: string) =>
      Number(
        (
          await db.query('SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = $2', [
            id,
            action,
          ])
        )[0].n,
      );
    expect(await audit(toOpen, 'drawing.open')).toBe(1);
    expect(await audit(toClose.id, 'drawing.closed')).toBe(1);
    for (const id of [toExecute.id, raced.id]) {
      expect(await audit(id, 'drawing.execute')).toBe(1);
      const [{ n }] = await db.query(
        'SELECT COUNT(*) AS n FROM prize_fulfillments f JOIN prizes p ON p.id = f.prize_id WHERE p.drawing_id = $1',
        [id],
      );
      expect(Number(n)).toBe(prizes.length);
    }
    const sweepstakes = new Bull(QueueName.Sweepstakes, REDIS_URL, { prefix });
    try {
      const minutes = (await sweepstakes.getCompleted())
        .filter((job) => job.name === JobName.RunDueDrawings)
        .map((job) => (job.data as { minute: string }).minute);
      expect(minutes.length).toBeGreaterThan(0);
      expect(new Set(minutes).size).toBe(minutes.length);
    } finally {
      await sweepstakes.close();
    }
  });
});
