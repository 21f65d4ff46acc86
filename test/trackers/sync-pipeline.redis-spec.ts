import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import Bull from 'bull';
import { DataSource } from 'typeorm';
import { QueueName, QueuePort } from '@fittrack/core';
import { Activity } from '@fittrack/trackers';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createUser } from '../api/fixtures';
import { asUser } from '../support/api-client';
import { withEnv } from '../support/test-app';
import {
  connectionsOf,
  connectThroughWidget,
  createTerraTestApp,
  terraEnv,
  type TerraTestApp,
} from './helpers';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The sync pipeline on Bull with real Redis: the API (services mode) enqueues, a worker process consumes
 * the webhook and sync jobs against the fake Terra over HTTP. One SQLite file is shared by both; the
 * queue prefix is this run's own.
 */
describe('tracker sync pipeline on Bull and Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-trackers-redis-'));
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: `fittrack-trackers-${randomUUID()}`,
    SQLITE_PATH: join(dir, 'fittrack.sqlite'),
  };
  let t: TerraTestApp;
  let worker: TestingModule | undefined;

  beforeAll(async () => {
    t = await createTerraTestApp({ env });
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    for (const name of [QueueName.Trackers, QueueName.Email]) {
      const queue = new Bull(name, REDIS_URL, { prefix: env.QUEUE_PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('connect through the widget; the worker processes the auth webhook and the sync; a replayed webhook pays once', async () => {
    expect(t.app.get(QueuePort).kind).toBe('bull');
    const user = await createUser(t);
    const client = asUser(t, user);
    const { terraUserId } = await connectThroughWidget(t, client, 'fitbit');
    await t.fake.idle();

    worker = await withEnv(
      {
        ...env,
        ...terraEnv(t.fake.url),
      },
      () => Test.createTestingModule({ imports: [WorkerModule] }).compile(),
    );
    worker.useLogger(['error', 'warn']);
    await worker.init();

    const synced = await waitFor(
      async () => (await connectionsOf(t, user.id))[0],
      (row) => row?.syncStatus === 'ok',
    );
    expect(synced).toMatchObject({ provider: 'fitbit', isPrimary: true, syncStatus: 'ok', terraUserId });
    const activities = () => t.app.get(DataSource).getRepository(Activity).findBy({ userId: user.id });
    expect((await activities()).length).toBeGreaterThan(0);

    const pushed = {
      type: 'activity',
      user: { user_id: terraUserId, provider: 'FITBIT' },
      data: [
        {
          metadata: {
            summary_id: `redis-${terraUserId}`,
            start_time: new Date(Date.now() - 3_600_000).toISOString(),
            end_time: new Date(Date.now() - 1_800_000).toISOString(),
            upload_type: 1,
          },
          active_durations_data: { activity_seconds: 1800, vigorous_intensity_seconds: 1800 },
        },
      ],
    };
    for (let i = 0; i < 5; i++) expect(await t.fake.sendWebhook(pushed)).toBe(200);
    const stored = await waitFor(
      async () => (await activities()).find((a) => a.externalId === `redis-${terraUserId}`),
      (row) => (row?.pointsEarned ?? 0) > 0,
    );
    expect(stored?.pointsEarned).toBeGreaterThan(0);
    const ledger = await t.app
      .get(DataSource)
      .query(`SELECT COUNT(*) AS n FROM point_transactions WHERE reference_id = '${stored!.id}'`);
    expect(Number(ledger[0].n)).toBe(1);
  }, 60_000);
});
