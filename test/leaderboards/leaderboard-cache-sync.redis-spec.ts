import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import Bull from 'bull';
import Redis from 'ioredis';
import { DataSource, IsNull, Not } from 'typeorm';
import { QueueName, QueuePort } from '@fittrack/core';
import { PointTransaction } from '@fittrack/points';
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
} from '../trackers/helpers';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
// The fixture profile's tier (a woman born 1990, intermediate).
const TIER = 'F-30-39-INT';

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Checkpoint 4, "no stale board after a sync", across processes: the API caches a board in Redis; a
 * tracker webhook is paid by a separate worker (Bull on Redis, its own cache-manager on the same Redis);
 * the API's next read shows the new points. A per-process cache would serve the API's stale entry.
 * One SQLite file is shared by both, and the key prefix is this run's own.
 */
describe('no stale board after a sync paid by the worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-lbcache-sync-'));
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: `fittrack-lbcache-sync-${randomUUID()}`,
    SQLITE_PATH: join(dir, 'fittrack.sqlite'),
  };
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  let t: TerraTestApp;
  let worker: TestingModule | undefined;

  beforeAll(async () => {
    // Redis is what this suite is about: unreachable is a failure, never a skip.
    await redis.connect();
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
    const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Until the worker has finished every tracker job (its after-commit invalidations included). */
  async function workerIdle() {
    const queue = new Bull(QueueName.Trackers, REDIS_URL, { prefix: env.QUEUE_PREFIX });
    try {
      const counts = await waitFor(
        () => queue.getJobCounts(),
        (c) => c.waiting + c.active + c.delayed === 0,
      );
      expect(counts).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    } finally {
      await queue.close();
    }
  }

  it('a webhook the worker pays shows on the API’s next read of the board it had cached', async () => {
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
    expect(
      await waitFor(
        async () => (await connectionsOf(t, user.id))[0]?.syncStatus,
        (status) => status === 'ok',
      ),
    ).toBe('ok');
    await workerIdle();

    // The all-time board (whatever the day): read once, so the API has it in Redis.
    const read = async () =>
      (await client.get('/leaderboards/alltime').expect(200)).body as {
        tier_code: string;
        my_position: { rank: number; points: number } | null;
      };
    // The ledger's truth: every earning entry (awards and corrections) of all time.
    const earned = async () =>
      Number(
        (await t.app
          .get(DataSource)
          .getRepository(PointTransaction)
          .sum('amount', { userId: user.id, earnedOn: Not(IsNull()) })) ?? 0,
      );
    const before = (await read()).my_position?.points ?? 0;
    expect(before).toBe(await earned());
    const cached = (await redis.keys(`${env.QUEUE_PREFIX}:leaderboards*`)).filter((key) =>
      key.includes(`leaderboard:${TIER}:alltime:`),
    );
    // The board cached whole (ADR 0031): one entry for every caller.
    expect(cached.some((key) => key.endsWith(':board'))).toBe(true);

    // The tracker pushes a new workout: the API queues it, the worker pays it.
    const summaryId = `lbcache-${randomUUID()}`;
    const status = await t.fake.sendWebhook({
      type: 'activity',
      user: { user_id: terraUserId, provider: 'FITBIT' },
      data: [
        {
          metadata: {
            summary_id: summaryId,
            start_time: new Date(Date.now() - 3_600_000).toISOString(),
            end_time: new Date(Date.now() - 1_800_000).toISOString(),
            upload_type: 1,
          },
          active_durations_data: { activity_seconds: 1800, vigorous_intensity_seconds: 1800 },
        },
      ],
    });
    expect(status).toBe(200);
    const paid = await waitFor(
      async () =>
        (await t.app.get(DataSource).getRepository(Activity).findOneBy({ externalId: summaryId }))
          ?.pointsEarned ?? 0,
      (points) => points > 0,
    );
    expect(paid).toBeGreaterThan(0);
    await workerIdle();

    // The day is paid again as a whole (the workout's minutes may overlap the day's active minutes), so the
    // board moves by what the ledger moved, not by the workout's own points.
    const total = await earned();
    expect(total).not.toBe(before);
    // The first read after the worker's job: the ledger's total, not the API's cached entry.
    const after = await read();
    expect(after.tier_code).toBe(TIER);
    expect(after.my_position).toEqual({ rank: 1, points: total });
  }, 60_000);
});
