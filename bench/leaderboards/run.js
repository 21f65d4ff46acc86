#!/usr/bin/env node
/**
 * Leaderboard query benchmark (node bench/leaderboards/run.js). Bulk-loads rollups for BENCH_USERS users
 * (default 200,000) straight into `leaderboard_rollups` (schema and rank index as in the migration; a
 * bench, not a seed: no ledger rows, which the board queries never read), ~60,000 of them on OPEN and the
 * rest over the 30 tiers, each with a month of periods (alltime, monthly, 4 weekly, 30 daily rows).
 * Then times, per request, what GET /leaderboards/weekly?tier=OPEN runs uncached for a user ranked
 * ~50,000: the user's row, the board's size and the rows ahead of the user counted in one scan, the top-100
 * page and around_me (±10, two keyset scans), as LeaderboardsService/Repository issue them. Prints
 * p50/p95/p99 in ms, and the same read with two separate counts (the earlier method), interleaved in the
 * same run. Cached reads and HTTP throughput: bench/leaderboards/http.js.
 * Env: BENCH_DBS=sqlite,postgres  BENCH_USERS=200000  BENCH_REQUESTS=300  DATABASE_URL (server for PostgreSQL;
 * database BENCH_PG_DATABASE, default `fittrack_bench_lb`, is created there). BENCH_REUSE=1 keeps the
 * data a previous run loaded (same BENCH_USERS) instead of loading it again (minutes on PostgreSQL).
 */
const { randomUUID } = require('node:crypto');
const { mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const USERS = Number(process.env.BENCH_USERS ?? 200_000);
const OPEN_USERS = Math.round(USERS * 0.3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const TIERS = ['M', 'F'].flatMap((s) =>
  ['18-29', '30-39', '40-49', '50-59', '60+'].flatMap((a) =>
    ['BEG', 'INT', 'ADV'].map((f) => `${s}-${a}-${f}`),
  ),
);
const WEEKS = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26'];
const BOARD = { tier: 'OPEN', period: 'weekly:2026-01-12' };
const PG_DATABASE = process.env.BENCH_PG_DATABASE ?? 'fittrack_bench_lb';
const REUSE = process.env.BENCH_REUSE === '1';

/** Deterministic pseudo-random points. */
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

function* rows() {
  const base = Date.UTC(2026, 0, 1);
  for (let u = 0; u < USERS; u++) {
    const user = randomUUID();
    const tier = u < OPEN_USERS ? 'OPEN' : TIERS[u % 30];
    let month = 0;
    for (let d = 0; d < 30; d++) {
      const day = new Date(base + d * 86_400_000).toISOString().slice(0, 10);
      const points = Math.floor(rand() * 1000);
      month += points;
      yield [user, `daily:${day}`, tier, points, new Date(base + d * 86_400_000 + u).toISOString()];
    }
    for (const week of WEEKS) {
      yield [
        user,
        `weekly:${week}`,
        tier,
        Math.floor(rand() * 7000),
        new Date(base + u * 1000).toISOString(),
      ];
    }
    yield [user, 'monthly:2026-01', tier, month, new Date(base + u).toISOString()];
    yield [user, 'alltime', tier, month, new Date(base + u).toISOString()];
  }
}

const DDL = [
  `CREATE TABLE "leaderboard_rollups" ("user_id" varchar(36) NOT NULL, "period_key" varchar(20) NOT NULL,
    "tier_code" varchar(12), "points" int NOT NULL, "reached_at" TIMESTAMP_TYPE NOT NULL,
    PRIMARY KEY ("user_id", "period_key"))`,
  `CREATE INDEX "ix_leaderboard_rollups_rank" ON "leaderboard_rollups"
    ("tier_code", "period_key", "points" DESC, "reached_at", "user_id")`,
];

const BOARD_WHERE = `"tier_code" = $1 AND "period_key" = $2 AND "points" > 0`;
/** The statements of one uncached board read (LeaderboardsRepository: count, ranked, position, ranked). */
const QUERIES = {
  count: `SELECT COUNT(*) AS "n" FROM "leaderboard_rollups" WHERE ${BOARD_WHERE}`,
  page: `SELECT "user_id", "points" FROM "leaderboard_rollups" WHERE ${BOARD_WHERE}
    ORDER BY "points" DESC, "reached_at" ASC, "user_id" ASC LIMIT $3 OFFSET $4`,
  own: `SELECT "points", "reached_at" FROM "leaderboard_rollups" WHERE ${BOARD_WHERE} AND "user_id" = $3`,
  countAndAhead: `SELECT COUNT(*) AS "n", SUM(CASE WHEN "points" > $3 OR ("points" = $3 AND ("reached_at" < $4
    OR ("reached_at" = $4 AND "user_id" < $5))) THEN 1 ELSE 0 END) AS "ahead" FROM "leaderboard_rollups"
    WHERE ${BOARD_WHERE}`,
  ahead: `SELECT COUNT(*) AS "n" FROM "leaderboard_rollups" WHERE ${BOARD_WHERE} AND "points" >= $3
    AND ("points" > $3 OR "reached_at" < $4 OR ("reached_at" = $4 AND "user_id" < $5))`,
  // around_me as LeaderboardsRepository.around issues it: two keyset scans from the user's row.
  before: `SELECT "user_id", "points" FROM "leaderboard_rollups" WHERE ${BOARD_WHERE} AND "points" >= $3
    AND ("points" > $3 OR "reached_at" < $4 OR ("reached_at" = $4 AND "user_id" < $5))
    ORDER BY "points" ASC, "reached_at" DESC, "user_id" DESC LIMIT 10`,
  after: `SELECT "user_id", "points" FROM "leaderboard_rollups" WHERE ${BOARD_WHERE} AND "points" <= $3
    AND ("points" < $3 OR "reached_at" > $4 OR ("reached_at" = $4 AND "user_id" >= $5))
    ORDER BY "points" DESC, "reached_at" ASC, "user_id" ASC LIMIT 11`,
  names: `SELECT 1`, // the profile lookup of 100 + 21 ids: a primary-key probe each, not what is measured here
};

async function withPostgres(run) {
  const { Client } = require('pg');
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const admin = new Client({
    connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).href,
  });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_DATABASE])).rowCount;
  if (!REUSE || !exists) {
    await admin.query(`DROP DATABASE IF EXISTS "${PG_DATABASE}"`);
    await admin.query(`CREATE DATABASE "${PG_DATABASE}"`);
  }
  await admin.end();
  const client = new Client({
    connectionString: Object.assign(new URL(server), { pathname: `/${PG_DATABASE}` }).href,
  });
  await client.connect();
  const db = {
    exec: (sql) => client.query(sql.replace('TIMESTAMP_TYPE', 'timestamptz')),
    all: async (sql, params) => (await client.query(sql, params)).rows,
    insert: async (batch) => {
      const values = batch.map(
        (_, i) => `($${i * 5 + 1},$${i * 5 + 2},$${i * 5 + 3},$${i * 5 + 4},$${i * 5 + 5})`,
      );
      await client.query(`INSERT INTO "leaderboard_rollups" VALUES ${values.join(',')}`, batch.flat());
    },
    analyze: () => client.query('VACUUM ANALYZE "leaderboard_rollups"'),
  };
  try {
    return await run(db);
  } finally {
    await client.end();
  }
}

async function withSqlite(run) {
  const Database = require('better-sqlite3');
  const dir = join(__dirname, '../../data/bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'leaderboards.sqlite');
  if (!REUSE) rmSync(file, { force: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // Positional `?` in the order the $n appear.
  const bind = (sql, params) => ({
    sql: sql.replace(/\$\d+/g, '?'),
    params: [...sql.matchAll(/\$(\d+)/g)].map((m) => params[Number(m[1]) - 1]),
  });
  const db = {
    exec: async (sql) => sqlite.exec(sql.replace('TIMESTAMP_TYPE', 'datetime')),
    all: async (text, values) => {
      const { sql, params } = bind(text, values);
      return sqlite.prepare(sql).all(...params);
    },
    insert: async (batch) => {
      const statement = sqlite.prepare(
        `INSERT INTO "leaderboard_rollups" VALUES ${batch.map(() => '(?,?,?,?,?)').join(',')}`,
      );
      statement.run(...batch.flat());
    },
    analyze: async () => sqlite.exec('ANALYZE'),
  };
  try {
    sqlite.exec('BEGIN');
    const result = await run(db, () => sqlite.exec('COMMIT'));
    return result;
  } finally {
    sqlite.close();
  }
}

async function load(db, commit) {
  if (REUSE) {
    const [found] = await db
      .all(`SELECT COUNT(DISTINCT "user_id") AS "n" FROM "leaderboard_rollups" WHERE "period_key" = $1`, [
        'alltime',
      ])
      .catch(() => [{ n: 0 }]);
    if (Number(found.n) === USERS) {
      commit?.();
      return { rows: 'reused', seconds: '0' };
    }
    await db.exec('DROP TABLE IF EXISTS "leaderboard_rollups"');
  }
  await db.exec(DDL[0]);
  const started = performance.now();
  let batch = [];
  let count = 0;
  for (const row of rows()) {
    batch.push(row);
    if (batch.length === 1000) {
      await db.insert(batch);
      count += batch.length;
      batch = [];
    }
  }
  if (batch.length) await db.insert(batch);
  count += batch.length;
  commit?.();
  await db.exec(DDL[1]);
  await db.analyze();
  return { rows: count, seconds: ((performance.now() - started) / 1000).toFixed(1) };
}

/** One uncached read; `offsetAround`: around_me as the OFFSET page it was before the keyset scans. */
/**
 * One uncached read as LeaderboardsService issues it: the user's row, then the board's size and the rows
 * ahead of the user in one scan (`twoCounts`: two separate counts, the earlier method), the top page and
 * around_me as two keyset scans.
 */
async function boardRead(db, userId, twoCounts = false) {
  const p = [BOARD.tier, BOARD.period];
  const [own] = await db.all(QUERIES.own, [...p, userId]);
  const at = [...p, own.points, own.reached_at, userId];
  let total;
  let ahead;
  if (twoCounts) {
    [{ n: total }] = await db.all(QUERIES.count, p);
    [{ n: ahead }] = await db.all(QUERIES.ahead, at);
  } else {
    [{ n: total, ahead }] = await db.all(QUERIES.countAndAhead, at);
  }
  const top = await db.all(QUERIES.page, [...p, 100, 0]);
  const rank = Number(ahead) + 1;
  const around = [...(await db.all(QUERIES.before, at)).reverse(), ...(await db.all(QUERIES.after, at))];
  return { total: Number(total), top: top.length, rank, around: around.map((row) => row.user_id) };
}

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function bench(name, withDb) {
  return withDb(async (db, commit) => {
    const loaded = await load(db, commit);
    // The user ranked ~50,000 on the OPEN weekly board.
    const [target] = await db.all(QUERIES.page, [
      BOARD.tier,
      BOARD.period,
      1,
      Math.min(49_999, OPEN_USERS - 1),
    ]);
    const check = await boardRead(db, target.user_id);
    const viaCounts = await boardRead(db, target.user_id, true);
    if (JSON.stringify(check) !== JSON.stringify(viaCounts)) throw new Error('the methods disagree');
    // The two methods take turns, so neither gets the warmer cache.
    const samples = { oneScan: [], twoCounts: [] };
    for (let i = 0; i < REQUESTS * 2; i++) {
      const twoCounts = i % 2 === 1;
      const started = performance.now();
      await boardRead(db, target.user_id, twoCounts);
      samples[twoCounts ? 'twoCounts' : 'oneScan'].push(performance.now() - started);
    }
    return {
      db: name,
      ...loaded,
      board: { ...check, around: check.around.length },
      requests: REQUESTS,
      ms: percentiles(samples.oneScan),
      ms_with_two_counts: percentiles(samples.twoCounts),
    };
  });
}

(async () => {
  for (const name of DBS) {
    const result = await bench(name, name === 'postgres' ? withPostgres : withSqlite);
    console.log(JSON.stringify(result));
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
