// First: this spec's own PostgreSQL database, before any entity loads.
import { createOwnDatabase, dropOwnDatabase } from './own-postgres';
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Bull from 'bull';
import { DataSource } from 'typeorm';
import { JobName, QueueName } from '@fittrack/core';
import { IngestionService, TrackerConnection } from '@fittrack/trackers';
import { createUser } from '../api/fixtures';
import { asUser } from '../support/api-client';
import {
  connectionsOf,
  connectThroughWidget,
  createTerraTestApp,
  terraEnv,
  type TerraTestApp,
} from './helpers';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

jest.setTimeout(180_000);

async function waitFor<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Faults: the worker process is killed (SIGKILL) in the middle of a sync job, while it waits for a slow
 * Terra. Bull sees the job's lock expire and a second worker runs it again; the ledger shows every record
 * paid exactly once. Real processes, Redis (own queue prefix) and PostgreSQL (own database).
 */
describe('a worker killed in the middle of a sync job', () => {
  const env = { REDIS_URL, QUEUE_PREFIX: `fittrack-worker-kill-${randomUUID()}`, TERRA_TIMEOUT_MS: '60000' };
  const workers: ChildProcess[] = [];
  let t: TerraTestApp;

  beforeAll(async () => {
    await createOwnDatabase();
    t = await createTerraTestApp({ env });
  });

  afterAll(async () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await t?.close();
    for (const name of [QueueName.Trackers, QueueName.Email]) {
      const queue = new Bull(name, REDIS_URL, { prefix: env.QUEUE_PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await dropOwnDatabase();
  });

  /** A worker process (WorkerModule from the sources) on this spec's queue prefix, database and fake Terra. */
  async function startWorker(): Promise<ChildProcess> {
    const worker = fork(join(__dirname, 'worker-process.js'), {
      env: {
        ...process.env,
        ...env,
        DB_MIGRATE_ON_BOOT: 'false',
        ...terraEnv(t.fake.url),
        TERRA_SYNC_BACKOFF_MS: '10',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    workers.push(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`The worker exited during boot (${code})`)));
    });
    return worker;
  }

  it('the job reruns on another worker and nothing is paid twice', async () => {
    const user = await createUser(t);
    const client = asUser(t, user);
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await t.fake.idle();
    const db = t.app.get(DataSource);
    const connection = async () => (await connectionsOf(t, user.id))[0] as TrackerConnection | undefined;

    // The first sync, undisturbed: the connection's first records are stored and paid.
    const first = await startWorker();
    const synced = await waitFor(connection, (row) => row?.syncStatus === 'ok' && row.lastSyncAt !== null);
    const paidBefore = Number(
      (await db.query('SELECT point_balance FROM users WHERE id = $1', [user.id]))[0].point_balance,
    );
    expect(paidBefore).toBeGreaterThan(0);

    // Terra is slow for this user's next `daily`: the manual sync's job waits in the fetch when it is killed.
    t.fake.injectFaults('/daily', [{ delayMs: 20_000 }]);
    const dailyCalls = t.fake.callsFor(terraUserId!, '/daily');
    await client.post('/connections/fitbit/sync').expect(202);
    await waitFor(
      () => t.fake.callsFor(terraUserId!, '/daily'),
      (calls) => calls > dailyCalls,
    );
    expect((await connection())?.syncStatus).toBe('syncing');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    // Bull moves the job back to waiting once the dead worker's lock expires; the second worker runs it.
    await startWorker();
    const resynced = await waitFor(
      connection,
      (row) => row?.syncStatus === 'ok' && new Date(row.lastSyncAt!) > new Date(synced!.lastSyncAt!),
      120_000,
    );
    expect(resynced?.lastError).toBeNull();
    expect(t.fake.callsFor(terraUserId!, '/daily')).toBeGreaterThanOrEqual(dailyCalls + 2);
    const trackers = new Bull(QueueName.Trackers, REDIS_URL, { prefix: env.QUEUE_PREFIX });
    try {
      const manual = (await trackers.getCompleted()).filter(
        (job) => job.name === JobName.SyncConnection && String(job.id).includes(':manual:'),
      );
      expect(manual).toHaveLength(1);
      expect((await trackers.getJobCounts()).failed).toBe(0);
    } finally {
      await trackers.close();
    }

    // Paid once: each record's ledger entries add up to its points, the balance to the ledger, and the
    // rules recomputed over every stored day have nothing left to pay or take back.
    const perActivity: { id: string; points: number; ledger: number }[] = await db.query(
      `SELECT a.id, a.points_earned AS points,
              COALESCE((SELECT SUM(p.amount) FROM point_transactions p WHERE p.reference_id = a.id), 0) AS ledger
         FROM activities a WHERE a.user_id = $1`,
      [user.id],
    );
    expect(perActivity.length).toBeGreaterThan(0);
    for (const row of perActivity) expect(Number(row.ledger)).toBe(Number(row.points));
    const [{ balance, ledger, earned }] = await db.query(
      `SELECT u.point_balance AS balance,
              (SELECT SUM(amount) FROM point_transactions WHERE user_id = u.id) AS ledger,
              (SELECT SUM(points_earned) FROM activities WHERE user_id = u.id) AS earned
         FROM users u WHERE u.id = $1`,
      [user.id],
    );
    expect(Number(balance)).toBe(Number(ledger));
    expect(Number(balance)).toBe(Number(earned));
    const days: { day: string }[] = await db.query('SELECT DISTINCT day FROM activities WHERE user_id = $1', [
      user.id,
    ]);
    const ingestion = t.app.get(IngestionService);
    expect(
      await ingestion.recomputeDays(
        user.id,
        days.map((d) => d.day),
      ),
    ).toBe(0);
  });
});
