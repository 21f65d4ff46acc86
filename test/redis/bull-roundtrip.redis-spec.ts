import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createConnection, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, TestingModule } from '@nestjs/testing';
import Bull from 'bull';
import { JobName, QueueName, QueuePort } from '@fittrack/core';
import { EmailOutboxRepository, EmailService } from '@fittrack/notifications';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, TestApp } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** This suite is about Redis: an unreachable server is a failure, never a skip. */
async function assertRedisReachable(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection(Number(port || 6379), hostname);
    socket.setTimeout(3000, () => socket.destroy(new Error('timed out')));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error) =>
      reject(new Error(`Redis is not reachable at ${hostname}:${port || 6379} (${error.message})`)),
    );
  });
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Bull on Redis: the API enqueues, the worker process consumes', () => {
  // One SQLite file shared by the API and the worker, and a key prefix of our own on the shared Redis.
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-redis-'));
  const prefix = `fittrack-test-${randomUUID()}`;
  let api: TestApp;
  let worker: TestingModule | undefined;

  beforeAll(async () => {
    await assertRedisReachable(REDIS_URL);
    Object.assign(process.env, {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      SQLITE_PATH: join(dir, 'fittrack.sqlite'),
    });
    api = await createTestApp();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    // Remove this run's keys.
    const cleanup = new Bull(QueueName.Email, REDIS_URL, { prefix });
    await cleanup.obliterate({ force: true });
    await cleanup.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statusOf = async (id: string) => (await api.app.get(EmailOutboxRepository).getOrFail(id)).status;

  it('uses the Bull queue, and readiness checks Redis and that a worker consumes (none yet)', async () => {
    expect(api.app.get(QueuePort).kind).toBe('bull');
    const res = await api.http().get('/health/ready').expect(503);
    expect(res.body.checks).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up', latency_ms: expect.any(Number) },
      workers: { status: 'down', error: 'no worker consuming' },
    });
  });

  it('a job enqueued by the API waits in Redis until a worker runs it', async () => {
    const emails = api.app.get(EmailService);
    const outboxId = await emails.record(`${randomUUID()}@example.com`, 'welcome', { name: 'Robin' });
    await api.app.get(QueuePort).enqueue(JobName.SendEmail, { outboxId }, { jobId: `email:${outboxId}` });

    // The API process does not consume in services mode.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await statusOf(outboxId)).toBe('pending');
    const probe = new Bull(QueueName.Email, REDIS_URL, { prefix });
    try {
      expect((await probe.getJobCounts()).waiting).toBe(1);
    } finally {
      await probe.close();
    }

    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    worker.useLogger(['error', 'warn']);
    await worker.init();

    expect(
      await waitFor(
        () => statusOf(outboxId),
        (status) => status === 'sent',
      ),
    ).toBe('sent');
    const email = await api.app.get(EmailOutboxRepository).getOrFail(outboxId);
    expect(email.attempts).toBe(1);
    expect(email.sentAt).toBeInstanceOf(Date);
    // The worker's heartbeat makes the API ready.
    const ready = await api.http().get('/health/ready').expect(200);
    expect(ready.body.checks.workers).toMatchObject({ status: 'up', consuming: 1 });
  }, 20_000);

  it('a duplicate job id is not queued twice', async () => {
    const emails = api.app.get(EmailService);
    const outboxId = await emails.record(`${randomUUID()}@example.com`, 'welcome', { name: 'Sam' });
    await emails.dispatch(outboxId);
    await emails.dispatch(outboxId);
    await api.drainJobs();
    // The queue itself, not the outbox (which skips a resend anyway): Bull holds one job for the row,
    // under the deterministic id, and it completed.
    const probe = new Bull(QueueName.Email, REDIS_URL, { prefix });
    try {
      const jobs = (await probe.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).filter(
        (job) => job.data.outboxId === outboxId,
      );
      const seen = await Promise.all(jobs.map(async (job) => ({ id: job.id, state: await job.getState() })));
      expect(seen).toEqual([{ id: `email:${outboxId}`, state: 'completed' }]);
    } finally {
      await probe.close();
    }
    expect(await statusOf(outboxId)).toBe('sent');
  }, 20_000);

  it('readiness answers 503 within seconds when Redis stops answering', async () => {
    // A "Redis" that accepts connections and never replies: the ping must time out, not hang.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    process.env.REDIS_URL = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const broken = await createTestApp();
    try {
      // A ping without its bound would hang here until the test's timeout fails it; no stopwatch needed.
      const res = await broken.http().get('/health/ready').expect(503);
      expect(res.body.checks.database.status).toBe('up');
      expect(res.body.checks.redis.status).toBe('down');
    } finally {
      process.env.REDIS_URL = REDIS_URL;
      // Stop accepting first: Redis clients reconnect while the app closes, and the server's close waits
      // for every connection it holds.
      const closed = new Promise((resolve) => silent.close(resolve));
      for (const socket of sockets) socket.destroy();
      await broken.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    }
  }, 20_000);
});
