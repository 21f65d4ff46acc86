#!/usr/bin/env node
/**
 * Sync benchmark (npm run bench:sync; uses the built dist/). BENCH_SYNC_USERS users (default 10,000), each
 * with a primary Fitbit connection last synced 20 minutes ago, known to a fake Terra served over HTTP by
 * this process. One 15-minute tick (SyncService.enqueueDue, as the scheduler runs it) enqueues every due
 * connection on Bull (Redis, a queue prefix of its own); BENCH_SYNC_WORKERS worker processes (default 2,
 * each Bull's 4 concurrent jobs) fetch `daily` and `activity` over HTTP, normalise, and ingest into
 * PostgreSQL (database `fittrack_bench_sync` on DATABASE_URL's server, dropped and re-migrated).
 * Prints records ingested per second end to end (from the tick to the last connection synced) and where
 * the sync jobs spent their time (SyncService's per-sync timings: HTTP, parsing, database).
 * Bounded: after BENCH_SYNC_MAX_S seconds (default 600) it stops and extrapolates from the share done.
 * Env: BENCH_SYNC_USERS  BENCH_SYNC_WORKERS  BENCH_SYNC_MAX_S  DATABASE_URL  REDIS_URL
 */
const { fork } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { insertBenchUsers, insertRows } = require('../support/fixtures');
const { recreatePostgresDatabase } = require('../support/databases');

const ROOT = join(__dirname, '../..');
const USERS = Number(process.env.BENCH_SYNC_USERS ?? 10_000);
const WORKERS = Number(process.env.BENCH_SYNC_WORKERS ?? 2);
const MAX_MS = Number(process.env.BENCH_SYNC_MAX_S ?? 600) * 1000;
const DATABASE = 'fittrack_bench_sync';
const SERVER = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const TERRA = { devId: 'bench-dev-id', apiKey: 'bench-terra-api-key', webhookSecret: 'bench-webhook-secret' };

// Entities read DB_TYPE when they load: the environment first, then dist/.
const ENV = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  SEED_ON_EMPTY: 'false',
  DB_TYPE: 'postgres',
  DATABASE_URL: Object.assign(new URL(SERVER), { pathname: `/${DATABASE}` }).href,
  DB_MIGRATE_ON_BOOT: 'false',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: `fittrack-bench-sync-${randomUUID()}`,
  TERRA_MODE: 'live',
  TERRA_DEV_ID: TERRA.devId,
  TERRA_API_KEY: TERRA.apiKey,
  TERRA_WEBHOOK_SECRET: TERRA.webhookSecret,
  TERRA_TIMEOUT_MS: '30000',
};

function startWorker(terraUrl) {
  const worker = fork(join(__dirname, 'worker.js'), {
    env: {
      ...process.env,
      ...ENV,
      TERRA_BASE_URL: terraUrl,
      TERRA_WIDGET_URL: `${terraUrl}/widget/session`,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('exit', (code) => reject(new Error(`A worker exited during boot (${code})`)));
  });
}

const ask = (worker) =>
  new Promise((resolve) => {
    worker.once('message', (message) => resolve(message.timings));
    worker.send('timings');
  });

async function main() {
  Object.assign(process.env, ENV);
  await recreatePostgresDatabase(SERVER, DATABASE);
  const { NestFactory } = require('@nestjs/core');
  const { DataSource } = require('typeorm');
  const Bull = require('bull');
  const { CliModule } = require(join(ROOT, 'dist/apps/cli/src/cli.module.js'));
  const core = require(join(ROOT, 'dist/libs/core/src/index.js'));
  const { FakeTerra, SyncService } = require(join(ROOT, 'dist/libs/trackers/src/index.js'));

  // Terra stands in over HTTP, in this process (the workers are separate processes).
  const fake = new FakeTerra(TERRA);
  const terraUrl = await fake.listen(0);

  // A producer-only context (the CLI's role consumes no queue): migrations, the users, the tick.
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  await app.get(core.DatabaseService).runMigrations();
  const ds = app.get(DataSource);
  const now = Date.now();
  const users = await insertBenchUsers(ds, USERS, {
    label: 'sync',
    profile: (u) => ({ tierCode: ['F-30-39-BEG', 'F-30-39-INT', 'F-30-39-ADV'][u % 3] }),
  });
  const connections = users.map((user) => ({
    id: randomUUID(),
    userId: user.id,
    provider: 'fitbit',
    terraUserId: randomUUID(),
    isPrimary: true,
    syncStatus: 'ok',
    lastSyncAt: new Date(now - 20 * 60_000),
    createdAt: new Date(now - 30 * 86_400_000),
    updatedAt: new Date(now - 20 * 60_000),
  }));
  await insertRows(ds, 'tracker_connections', connections);
  for (const c of connections) fake.createUser('FITBIT', c.userId, c.terraUserId);

  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(terraUrl)));
  const trackers = new Bull(core.QueueName.Trackers, ENV.REDIS_URL, { prefix: ENV.QUEUE_PREFIX });
  const synced = async () =>
    Number(
      (
        await ds.query('SELECT COUNT(*) AS n FROM tracker_connections WHERE last_sync_at >= $1', [
          new Date(now),
        ])
      )[0].n,
    );

  console.log(`bench:sync: ${USERS} connections, ${WORKERS} worker process(es), PostgreSQL, Redis`);
  const started = performance.now();
  const enqueued = await app.get(SyncService).enqueueDue();
  const enqueueSeconds = (performance.now() - started) / 1000;
  let done = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const counts = await trackers.getJobCounts();
    done = await synced();
    if (counts.waiting + counts.active + counts.delayed === 0) break;
    if (performance.now() - started > MAX_MS) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = (await trackers.getJobCounts()).failed;

  const timings = { jobs: 0, records: 0, httpMs: 0, parseMs: 0, dbMs: 0 };
  for (const worker of workers) {
    const t = await ask(worker);
    for (const key of Object.keys(timings)) timings[key] += t[key];
  }
  const stored = Number((await ds.query('SELECT COUNT(*) AS n FROM activities'))[0].n);
  const ledger = Number((await ds.query('SELECT COUNT(*) AS n FROM point_transactions'))[0].n);
  const inJobs = timings.httpMs + timings.parseMs + timings.dbMs;
  const share = (ms) => `${((100 * ms) / inJobs).toFixed(1)}%`;
  const complete = done >= enqueued;

  console.log(
    [
      `tick: ${enqueued} jobs enqueued in ${enqueueSeconds.toFixed(2)} s`,
      `${complete ? 'all' : `${done} of ${enqueued} (${((100 * done) / enqueued).toFixed(1)}%)`} connections synced in ${seconds.toFixed(1)} s` +
        (complete
          ? ''
          : ` (bounded by BENCH_SYNC_MAX_S); whole tick extrapolated: ${((seconds * enqueued) / done).toFixed(0)} s`),
      `records ingested: ${timings.records} (${(timings.records / timings.jobs).toFixed(1)} a sync; ${stored} rows, ${ledger} ledger entries); failed jobs: ${failed}`,
      `end to end: ${(timings.records / seconds).toFixed(0)} records/s, ${(timings.jobs / seconds).toFixed(1)} syncs/s`,
      `time in sync jobs (summed over concurrent jobs): HTTP ${share(timings.httpMs)}, parsing ${share(timings.parseMs)}, database ${share(timings.dbMs)}`,
      `per sync: HTTP ${(timings.httpMs / timings.jobs).toFixed(1)} ms, parsing ${(timings.parseMs / timings.jobs).toFixed(2)} ms, database ${(timings.dbMs / timings.jobs).toFixed(1)} ms`,
    ].join('\n'),
  );

  for (const worker of workers) {
    worker.send('stop');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  await trackers.close();
  for (const name of Object.values(core.QueueName)) {
    const queue = new Bull(name, ENV.REDIS_URL, { prefix: ENV.QUEUE_PREFIX });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await app.close();
  await fake.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
