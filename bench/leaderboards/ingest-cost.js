#!/usr/bin/env node
/**
 * What the leaderboard rollup writes cost ingestion (npm run bench:leaderboards-ingest; uses the built
 * dist/). On a fresh SQLite file (data/bench/lb-ingest.sqlite) or PostgreSQL (database
 * `fittrack_bench_lb_ingest` on DATABASE_URL's server): BENCH_LB_USERS users (default 2,000) with a
 * primary tracker, in tiers. Each user's week of records (a steps total, an active-minutes total and a
 * workout a day) goes through IngestionService.ingest one day per call, like daily syncs. Users alternate
 * in rounds of 100 between the leaderboards' points-changed hook subscribed and unsubscribed, in the same
 * process and run (the first two rounds warm up and are not counted); prints the time of each half and the hook's cost (the issue's target: < 20 %).
 * Env: BENCH_DBS=sqlite,postgres  BENCH_LB_USERS=2000
 */
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { benchDatabaseEnv } = require('../support/databases');

const ROOT = join(__dirname, '../..');
const USERS = Number(process.env.BENCH_LB_USERS ?? 2000);
const ROUND = 100;
const DAYS = 7;
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const NOW = new Date('2026-11-22T17:00:00Z');
const QUIET = { NODE_ENV: 'development', LOG_LEVEL: 'warn', SEED_ON_EMPTY: 'false', REDIS_URL: '' };

/** User `u`'s records of day `d` (0 = six days ago): steps, active minutes and one workout. */
function dayOf(userId, u, d) {
  const day = new Date(Date.UTC(2026, 10, 16 + d));
  const localDate = day.toISOString().slice(0, 10);
  const midnight = new Date(day.getTime() + 5 * 3_600_000);
  const common = { userId, provider: 'fitbit', uploadType: 'automatic' };
  const whole = { startTime: midnight, endTime: new Date(midnight.getTime() + 86_399_000), localDate };
  const start = new Date(midnight.getTime() + 8 * 3_600_000);
  const minutes = 15 + ((u + d) % 40);
  return [
    { ...common, ...whole, type: 'steps', steps: 3000 + ((u * 7 + d) % 9000) },
    {
      ...common,
      ...whole,
      type: 'active_minutes',
      minutes: { light: 20, moderate: 10 + d, vigorous: u % 15 },
    },
    {
      ...common,
      type: 'workout',
      externalId: `wk-${u}-${d}`,
      startTime: start,
      endTime: new Date(start.getTime() + minutes * 60_000),
      durationMinutes: minutes,
      intensity: ['light', 'moderate', 'vigorous'][(u + d) % 3],
    },
  ];
}

/** In the child: boots the app context on the database in the environment and measures. */
async function child() {
  const { NestFactory } = require('@nestjs/core');
  const { DataSource } = require('typeorm');
  const { AppModule } = require(join(ROOT, 'dist/apps/api/src/app.module.js'));
  const core = require(join(ROOT, 'dist/libs/core/src/index.js'));
  const { IngestionService } = require(join(ROOT, 'dist/libs/trackers/src/index.js'));
  const { PointsChangedHooks } = require(join(ROOT, 'dist/libs/points/src/index.js'));
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  app.get(core.Clock).now = () => NOW;
  const database = app.get(core.DatabaseService);
  await database.dropSchema();
  await database.runMigrations();
  const ds = app.get(DataSource);
  const users = Array.from({ length: USERS }, (_, u) => ({
    id: randomUUID(),
    email: `bench-lb-ingest${u}@example.com`,
    passwordHash: '!',
    role: 'user',
    status: 'active',
  }));
  const tiers = ['F-30-39-BEG', 'F-30-39-INT', 'M-40-49-ADV', 'OPEN'];
  for (let i = 0; i < USERS; i += 200) {
    const slice = users.slice(i, i + 200);
    await ds.createQueryBuilder().insert().into('User').values(slice).execute();
    await ds
      .createQueryBuilder()
      .insert()
      .into('profiles')
      .values(
        slice.map((user, j) => ({
          id: randomUUID(),
          userId: user.id,
          displayName: `Bench ${i + j}`,
          dateOfBirth: '1990-01-01',
          state: 'TX',
          biologicalSex: 'female',
          fitnessLevel: 'intermediate',
          timezone: 'America/New_York',
          tierCode: tiers[(i + j) % tiers.length],
        })),
      )
      .execute();
    await ds
      .createQueryBuilder()
      .insert()
      .into('tracker_connections')
      .values(
        slice.map((user) => ({
          id: randomUUID(),
          userId: user.id,
          provider: 'fitbit',
          isPrimary: true,
          syncStatus: 'ok',
          createdAt: new Date('2026-01-01T00:00:00Z'),
          updatedAt: new Date('2026-01-01T00:00:00Z'),
        })),
      )
      .execute();
  }

  // The hook list is private: the bench alone takes the leaderboards' hook out and puts it back.
  const hooks = app.get(PointsChangedHooks).hooks;
  const subscribed = [...hooks];
  if (subscribed.length !== 1)
    throw new Error(`expected the leaderboards hook alone, found ${subscribed.length}`);
  const ingestion = app.get(IngestionService);
  const seconds = { with: 0, without: 0 };
  let paid = 0;
  for (let first = 0; first < USERS; first += ROUND) {
    const withHook = (first / ROUND) % 2 === 0;
    hooks.splice(0, hooks.length, ...(withHook ? subscribed : []));
    const round = users.slice(first, first + ROUND);
    const started = performance.now();
    for (let d = 0; d < DAYS; d++) {
      paid += (await ingestion.ingest(round.flatMap((user, j) => dayOf(user.id, first + j, d)))).paid;
    }
    // The first two rounds warm up (JIT, statement caches): not counted.
    if (first >= 2 * ROUND) seconds[withHook ? 'with' : 'without'] += (performance.now() - started) / 1000;
  }
  hooks.splice(0, hooks.length, ...subscribed);
  const [{ rollups }] = await ds.query('SELECT COUNT(*) AS "rollups" FROM "leaderboard_rollups"');
  await app.close();
  process.stdout.write(
    JSON.stringify({ db: process.env.DB_TYPE, users: USERS, paid, rollups, seconds }) + '\n',
  );
}

async function main() {
  const results = [];
  for (const db of DBS) {
    const env = await benchDatabaseEnv(db, 'lb-ingest');
    const out = execFileSync(process.execPath, [__filename, '--child'], {
      cwd: ROOT,
      env: { ...process.env, ...QUIET, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    const cost = (r.seconds.with / r.seconds.without - 1) * 100;
    console.log(JSON.stringify({ ...r, hook_cost_pct: Number(cost.toFixed(1)), target_pct: 20 }));
    results.push(r);
  }
}

(process.argv.includes('--child') ? child() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
