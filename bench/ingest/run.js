#!/usr/bin/env node
/**
 * Ingestion benchmark (npm run bench:ingest; uses the built dist/). For SQLite (data/bench/ingest.sqlite)
 * and PostgreSQL (database `fittrack_bench_ingest` on DATABASE_URL's server, created if missing, dropped
 * and re-migrated): BENCH_INGEST_USERS users (default 10,000) with a primary tracker, then
 * BENCH_INGEST_RECORDS normalised records (default 200,000: per user and day a steps total, an
 * active-minutes total and two workouts) through IngestionService (no HTTP), BENCH_INGEST_BATCH records
 * a call (whole users: one unit of work per user per call). Prints records/s, then the same rows as a
 * plain batched INSERT into activities (the ceiling: no lock, no reads, no ledger) and the ratio.
 * Each database runs in a child process: entities read DB_TYPE when they load.
 * Env: BENCH_DBS=sqlite,postgres  BENCH_INGEST_USERS  BENCH_INGEST_RECORDS  BENCH_INGEST_BATCH=2000
 */
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { benchDatabaseEnv } = require('../support/databases');
const { insertBenchUsers, insertRows } = require('../support/fixtures');

const ROOT = join(__dirname, '../..');
const USERS = Number(process.env.BENCH_INGEST_USERS ?? 10_000);
const RECORDS = Number(process.env.BENCH_INGEST_RECORDS ?? 200_000);
const BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 2000);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const NOW = new Date('2026-11-22T17:00:00Z');
const QUIET = { NODE_ENV: 'development', LOG_LEVEL: 'warn', SEED_ON_EMPTY: 'false', REDIS_URL: '' };

/** The records of user `u`: per day a steps total, an active-minutes total and two workouts. */
function recordsOf(userId, count, u) {
  const records = [];
  for (let i = 0; records.length < count; i++) {
    const day = new Date(Date.UTC(2026, 10, 21 - Math.floor(i / 4)));
    const date = day.toISOString().slice(0, 10);
    const midnight = new Date(day.getTime() + 5 * 3_600_000);
    const common = { userId, provider: 'fitbit', uploadType: 'automatic' };
    const kind = i % 4;
    if (kind === 0) {
      records.push({
        ...common,
        type: 'steps',
        localDate: date,
        startTime: midnight,
        endTime: new Date(midnight.getTime() + 86_399_000),
        steps: 3000 + ((u * 7 + i) % 9000),
      });
    } else if (kind === 1) {
      records.push({
        ...common,
        type: 'active_minutes',
        localDate: date,
        startTime: midnight,
        endTime: new Date(midnight.getTime() + 86_399_000),
        minutes: { light: 20 + (u % 40), moderate: 10 + (i % 20), vigorous: u % 15 },
      });
    } else {
      const start = new Date(midnight.getTime() + (kind === 2 ? 8 : 18) * 3_600_000);
      const minutes = 15 + ((u + i) % 50);
      records.push({
        ...common,
        type: 'workout',
        externalId: `wk-${u}-${i}`,
        startTime: start,
        endTime: new Date(start.getTime() + minutes * 60_000),
        durationMinutes: minutes,
        intensity: ['light', 'moderate', 'vigorous'][(u + i) % 3],
        metrics: { calories: minutes * 8 },
      });
    }
  }
  return records;
}

/** In the child: boots the app context on the database in the environment and measures. */
async function child() {
  const { NestFactory } = require('@nestjs/core');
  const { AppModule } = require(join(ROOT, 'dist/apps/api/src/app.module.js'));
  const core = require(join(ROOT, 'dist/libs/core/src/index.js'));
  const { IngestionService } = require(join(ROOT, 'dist/libs/trackers/src/index.js'));
  const { DataSource } = require('typeorm');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  app.get(core.Clock).now = () => NOW;
  const database = app.get(core.DatabaseService);
  await database.dropSchema();
  await database.runMigrations();
  const ds = app.get(DataSource);
  const db = process.env.DB_TYPE;

  const insert = (table, rows) => insertRows(ds, table, rows);
  const users = await insertBenchUsers(ds, USERS, {
    label: 'ingest',
    profile: (u) => ({ tierCode: ['F-30-39-BEG', 'F-30-39-INT', 'F-30-39-ADV'][u % 3] }),
  });
  await insert(
    'tracker_connections',
    users.map((user) => ({
      id: randomUUID(),
      userId: user.id,
      provider: 'fitbit',
      isPrimary: true,
      syncStatus: 'ok',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    })),
  );
  const perUser = Math.ceil(RECORDS / USERS);
  const byUser = users.map((user, u) => recordsOf(user.id, perUser, u));

  const ingestion = app.get(IngestionService);
  let paid = 0;
  const started = performance.now();
  for (let u = 0; u < USERS;) {
    const batch = [];
    while (u < USERS && batch.length + perUser <= Math.max(BATCH, perUser)) batch.push(...byUser[u++]);
    paid += (await ingestion.ingest(batch)).paid;
  }
  const ingestSeconds = (performance.now() - started) / 1000;
  const total = USERS * perUser;

  // The ceiling: the rows as stored, inserted again under other external ids, in plain batched INSERTs.
  const rows = await ds.getRepository('Activity').find();
  for (const row of rows) {
    row.id = randomUUID();
    row.externalId = `${row.externalId}:ceiling`;
  }
  const insertStarted = performance.now();
  await ds.transaction(async (manager) => {
    const size = Math.min(500, Math.floor(30_000 / Object.keys(rows[0]).length));
    for (let i = 0; i < rows.length; i += size) {
      await manager
        .createQueryBuilder()
        .insert()
        .into('activities')
        .values(rows.slice(i, i + size))
        .execute();
    }
  });
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  await app.close();
  process.stdout.write(
    JSON.stringify({ db, records: total, users: USERS, paid, ingestSeconds, insertSeconds }) + '\n',
  );
}

async function main() {
  const results = [];
  for (const db of DBS) {
    const env = await benchDatabaseEnv(db, 'ingest');
    const out = execFileSync(process.execPath, [__filename, '--child'], {
      cwd: ROOT,
      env: { ...process.env, ...QUIET, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    const rate = r.records / r.ingestSeconds;
    const ceiling = r.records / r.insertSeconds;
    console.log(
      `[${db}] ${r.records} records, ${r.users} users: ingest ${r.ingestSeconds.toFixed(1)} s = ` +
        `${Math.round(rate)} records/s (${r.paid} points paid); plain INSERT ${r.insertSeconds.toFixed(1)} s = ` +
        `${Math.round(ceiling)} rows/s; ingest at ${((rate / ceiling) * 100).toFixed(1)} % of the ceiling`,
    );
    results.push({ db, rate, ceiling, ...r });
  }
  console.log(
    '\n| database | records | ingest | records/s | plain INSERT rows/s | ratio |\n|---|---|---|---|---|---|',
  );
  for (const r of results) {
    console.log(
      `| ${r.db} | ${r.records} | ${r.ingestSeconds.toFixed(1)} s | ${Math.round(r.rate)} | ` +
        `${Math.round(r.ceiling)} | ${((r.rate / r.ceiling) * 100).toFixed(1)} % |`,
    );
  }
}

(process.argv.includes('--child') ? child() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
