#!/usr/bin/env node
/**
 * Seed-and-list benchmark (npm run bench:list; uses the built dist/).
 * For SQLite (data/bench/bench.sqlite) and PostgreSQL (database `fittrack_bench` on DATABASE_URL's server,
 * created if missing): times the default seed and a large one (BENCH_USERS users, BENCH_ACTIVITIES
 * activities), boots the API, logs in as the seeded admin and fires BENCH_REQUESTS sequential requests at
 * each list endpoint, pages spread from the first to the last. Prints p50/p95 per endpoint, then, as a
 * same-run baseline, the workout page query in SQL alone: plain OFFSET from the start against reading
 * pages past the middle from the end (what BaseRepository.list does).
 * Env: BENCH_DBS=sqlite,postgres  BENCH_USERS=100000  BENCH_ACTIVITIES=1000000  BENCH_REQUESTS=1000
 * BENCH_SKIP_SEED=1 measures the lists on the databases a previous run left behind.
 */
const { spawn, execFileSync } = require('node:child_process');
const { rmSync, mkdirSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/apps/cli/src/main.js');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PER_PAGE = 20;
const SKIP_SEED = process.env.BENCH_SKIP_SEED === '1';
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? 'admin@fittrack.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'FitTrack-Admin-2026!';

const QUIET = { NODE_ENV: 'development', LOG_LEVEL: 'warn', SEED_ON_EMPTY: 'false', REDIS_URL: '' };

async function databaseEnv(db) {
  if (db === 'sqlite') {
    const dir = join(ROOT, 'data/bench');
    if (!SKIP_SEED) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return { DB_TYPE: 'sqlite', SQLITE_PATH: join(dir, 'bench.sqlite'), DB_MIGRATE_ON_BOOT: 'false' };
  }
  const { Client } = require('pg');
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const admin = new Client({
    connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).href,
  });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'fittrack_bench'");
  if (!rowCount) await admin.query('CREATE DATABASE fittrack_bench');
  await admin.end();
  return {
    DB_TYPE: 'postgres',
    DATABASE_URL: Object.assign(new URL(server), { pathname: '/fittrack_bench' }).href,
    DB_MIGRATE_ON_BOOT: 'false',
  };
}

/** Runs `reset` through the CLI and returns its JSON summary plus the wall time of the whole process. */
function cliReset(env, args) {
  const started = performance.now();
  const out = execFileSync(process.execPath, [CLI, 'reset', '--json', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...QUIET, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  const summary = JSON.parse(out.trim().split('\n').pop());
  return { ...summary, wall_ms: Math.round(performance.now() - started) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function startApi(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [API], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...QUIET,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) return { base, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('API did not start');
}

async function login(base) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (res.status === 404) return undefined; // no auth endpoint: call anonymously
  if (!res.ok) throw new Error(`login failed: HTTP ${res.status}`);
  return (await res.json()).access_token;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function summarize(times) {
  times.sort((a, b) => a - b);
  return {
    p50_ms: +percentile(times, 50).toFixed(1),
    p95_ms: +percentile(times, 95).toFixed(1),
    max_ms: +times.at(-1).toFixed(1),
  };
}

/** Page numbers 1..lastPage, evenly spread over `count` requests. */
const spreadPage = (i, count, lastPage) => 1 + Math.floor((i * (lastPage - 1)) / Math.max(1, count - 1));

/** Runs `sql` (with `?` placeholders) on the benchmark database and returns the rows. */
async function sqlRunner(db, env) {
  if (db === 'sqlite') {
    const Database = require('better-sqlite3');
    const connection = new Database(env.SQLITE_PATH, { readonly: true });
    return {
      query: async (sql, params) => connection.prepare(sql).all(...params),
      close: () => connection.close(),
    };
  }
  const { Client } = require('pg');
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  return {
    query: async (sql, params) => {
      let n = 0;
      const numbered = sql.replace(/\?/g, () => `$${++n}`); // pg numbers its placeholders
      return (await client.query(numbered, params)).rows;
    },
    close: () => client.end(),
  };
}

/**
 * The workout list's page-of-ids query in SQL, pages spread as over HTTP: forward OFFSET for every page
 * (the baseline) against the nearer end (reversed order, offset from the end) for pages past the middle.
 */
async function offsetBaseline(db, env, total) {
  const runner = await sqlRunner(db, env);
  const lastPage = Math.ceil(total / PER_PAGE);
  const pageQuery = (direction) =>
    `SELECT id FROM activities WHERE activity_type = 'workout' ` +
    `ORDER BY start_time ${direction}, id ${direction} LIMIT ? OFFSET ?`;
  const time = async (count, run) => {
    const times = [];
    for (let i = 0; i < count; i++) {
      const offset = (spreadPage(i, count, lastPage) - 1) * PER_PAGE;
      const started = performance.now();
      await run(offset);
      times.push(performance.now() - started);
    }
    return summarize(times);
  };
  try {
    const count = Math.min(REQUESTS, 300);
    const forward = await time(count, (offset) => runner.query(pageQuery('DESC'), [PER_PAGE, offset]));
    const nearerEnd = await time(count, (offset) =>
      offset > total / 2
        ? runner.query(pageQuery('ASC'), [
            Math.min(PER_PAGE, total - offset),
            Math.max(0, total - offset - PER_PAGE),
          ])
        : runner.query(pageQuery('DESC'), [PER_PAGE, offset]),
    );
    return { forward, nearerEnd, p95_ratio: +(forward.p95_ms / nearerEnd.p95_ms).toFixed(2) };
  } finally {
    await runner.close();
  }
}

/** Sequential requests over pages 1..lastPage (evenly spread, so deep pages are included). */
async function measure(base, token, pathFor, lastPage) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const times = [];
  let errors = 0;
  let total;
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(`${base}${pathFor(spreadPage(i, REQUESTS, lastPage))}`, { headers });
    const body = await res.json();
    times.push(performance.now() - started);
    if (!res.ok) errors++;
    else total = body.meta?.total;
  }
  return { ...summarize(times), errors, total };
}

async function benchDatabase(db) {
  const env = await databaseEnv(db);
  let small = { duration_ms: NaN };
  let large = { duration_ms: NaN };
  if (!SKIP_SEED) {
    small = cliReset(env, []);
    console.log(`[${db}] default dataset: seed ${small.duration_ms} ms (CLI process ${small.wall_ms} ms)`);
    large = cliReset(env, ['--users', String(USERS), '--activities', String(ACTIVITIES)]);
    console.log(
      `[${db}] ${USERS} users + ${ACTIVITIES} activities: seed ${(large.duration_ms / 1000).toFixed(1)} s ` +
        `(${JSON.stringify(large.counts)})`,
    );
  }
  const { base, child } = await startApi(env);
  try {
    const token = await login(base);
    const workouts = Math.ceil(ACTIVITIES / 3);
    const users = await measure(
      base,
      token,
      (page) => `/api/v1/users?page=${page}&per_page=${PER_PAGE}&sort=-created_at`,
      Math.ceil(USERS / PER_PAGE),
    );
    console.log(`[${db}] GET /users?sort=-created_at`, users);
    const activities = await measure(
      base,
      token,
      (page) => `/api/v1/activities?filter[activity_type]=workout&page=${page}&per_page=${PER_PAGE}`,
      Math.ceil(workouts / PER_PAGE),
    );
    console.log(`[${db}] GET /activities?filter[activity_type]=workout`, activities);
    const baseline = await offsetBaseline(db, env, activities.total);
    console.log(`[${db}] workout page query in SQL, forward OFFSET vs nearer end`, baseline);
    return {
      db,
      defaultSeedMs: small.duration_ms,
      largeSeedMs: large.duration_ms,
      users,
      activities,
      baseline,
    };
  } finally {
    child.kill();
  }
}

async function main() {
  console.log(
    `Machine: ${os.cpus()[0].model} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const results = [];
  for (const db of DBS) results.push(await benchDatabase(db));
  console.log(
    '\n| database | default seed | large seed | users p50/p95 | activities p50/p95 | ' +
      'SQL p95 forward / nearer end |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.db} | ${r.defaultSeedMs} ms | ${(r.largeSeedMs / 1000).toFixed(1)} s | ` +
        `${r.users.p50_ms} / ${r.users.p95_ms} ms | ${r.activities.p50_ms} / ${r.activities.p95_ms} ms | ` +
        `${r.baseline.forward.p95_ms} / ${r.baseline.nearerEnd.p95_ms} ms (×${r.baseline.p95_ratio}) |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
