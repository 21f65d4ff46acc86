import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { HEARTBEAT_TTL_MS } from '@fittrack/core';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

jest.setTimeout(120_000);

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * /health/ready with Bull on Redis is ready only while a worker process consumes: real worker processes
 * (WorkerModule from the sources), their heartbeats in Redis, the API asking over HTTP.
 */
describe('readiness: workers consuming', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-ready-'));
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: `fittrack-ready-${randomUUID()}`,
    SQLITE_PATH: join(dir, 'fittrack.sqlite'),
  };
  const workers: ChildProcess[] = [];
  const redis = new Redis(REDIS_URL);
  let t: TestApp;

  beforeAll(async () => {
    t = await withEnv(env, () => createTestApp());
  });

  afterAll(async () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await t?.close();
    const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startWorker(): Promise<ChildProcess> {
    const worker = fork(join(__dirname, '../trackers/worker-process.js'), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    workers.push(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`worker exited during boot (${code})`)));
    });
    return worker;
  }

  const exited = (worker: ChildProcess) =>
    new Promise<void>((resolve) =>
      worker.exitCode !== null || worker.signalCode !== null
        ? resolve()
        : worker.once('exit', () => resolve()),
    );
  const ready = async () => {
    const res = await t.http().get('/health/ready');
    return { status: res.status, workers: res.body.checks.workers as Record<string, unknown> };
  };

  it('no worker: 503 naming workers, while the database and Redis are up', async () => {
    const res = await t.http().get('/health/ready').expect(503);
    expect(res.body).toMatchObject({
      status: 'unavailable',
      checks: {
        database: { status: 'up' },
        redis: { status: 'up' },
        workers: { status: 'down', error: 'no worker consuming' },
      },
    });
  });

  it('a worker process starts: 200, counting each consumer; a graceful stop leaves at once', async () => {
    const first = await startWorker();
    expect(await ready()).toEqual({
      status: 200,
      workers: expect.objectContaining({ status: 'up', consuming: 1 }),
    });
    const second = await startWorker();
    expect((await ready()).workers).toMatchObject({ consuming: 2 });

    second.kill('SIGTERM');
    await exited(second);
    expect((await ready()).workers).toMatchObject({ status: 'up', consuming: 1 });
    first.kill('SIGTERM');
    await exited(first);
    expect(await ready()).toEqual({
      status: 503,
      workers: { status: 'down', error: 'no worker consuming' },
    });
  });

  it('a worker killed with SIGKILL stops counting once its heartbeat expires', async () => {
    const worker = await startWorker();
    expect((await ready()).status).toBe(200);
    worker.kill('SIGKILL');
    await exited(worker);
    const killedAt = Date.now();
    // Its last beat still counts for up to the heartbeat's TTL, then readiness turns 503 on its own.
    const after = await waitFor(ready, (r) => r.status === 503, HEARTBEAT_TTL_MS + 10_000);
    expect(after.workers).toEqual({ status: 'down', error: 'no worker consuming' });
    expect(Date.now() - killedAt).toBeLessThanOrEqual(HEARTBEAT_TTL_MS + 1_000);
  });
});
