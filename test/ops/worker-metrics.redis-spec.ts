import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { JobName, QueuePort } from '@fittrack/core';
import { createTestApp, type TestApp, withEnv } from '../support/test-app';
import { freePort } from '../trackers/helpers';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const TOKEN = `metrics-${randomUUID()}`;

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

/** The value of one sample line (`name{labels} value`) in Prometheus text, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * The worker's job metrics are scrapable: a real worker process (WorkerModule from the sources) with
 * WORKER_METRICS_PORT runs a job the API enqueued on Bull, and its /metrics counts it over HTTP, under
 * the API's METRICS_TOKEN rule (refused = 404). A graceful stop closes the listener.
 */
describe('worker metrics listener', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-worker-metrics-'));
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: `fittrack-worker-metrics-${randomUUID()}`,
    SQLITE_PATH: join(dir, 'fittrack.sqlite'),
    METRICS_TOKEN: TOKEN,
  };
  const redis = new Redis(REDIS_URL);
  let t: TestApp;
  let worker: ChildProcess;
  let base: string;

  beforeAll(async () => {
    t = await withEnv(env, () => createTestApp());
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = fork(join(__dirname, '../trackers/worker-process.js'), {
      env: { ...process.env, ...env, WORKER_METRICS_PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`worker exited during boot (${code})`)));
    });
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await t?.close();
    const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const scrape = (token?: string) =>
    fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const completed = `jobs_total{job="${JobName.RecalculateBirthdayTiers}",outcome="completed"}`;

  it('liveness answers without a token and touches nothing', async () => {
    const res = await fetch(`${base}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('refuses a scrape without the token, or with a wrong one, as the API does (404)', async () => {
    for (const res of [await scrape(), await scrape(`${TOKEN}x`), await fetch(`${base}/other`)]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.text()).not.toContain('jobs_total');
    }
  });

  it('counts a job the worker ran, with its duration, queue depth and the default process metrics', async () => {
    const before = sample(await (await scrape(TOKEN)).text(), completed);
    await t.app
      .get(QueuePort)
      .enqueue(JobName.RecalculateBirthdayTiers, { date: '2026-03-01' }, { jobId: `bt-${randomUUID()}` });
    const text = await waitFor(
      async () => (await scrape(TOKEN)).text(),
      (body) => sample(body, completed) === before + 1,
    );
    expect(
      sample(
        text,
        `job_duration_seconds_count{job="${JobName.RecalculateBirthdayTiers}",outcome="completed"}`,
      ),
    ).toBe(before + 1);
    expect(text).toMatch(/^queue_jobs\{queue="maintenance",state="waiting"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('a graceful stop closes the listener', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });
});
