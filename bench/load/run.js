#!/usr/bin/env node
/**
 * Load test (npm run bench:load; uses the built dist/). The plan's model: N logged-in users, each pausing
 * 1–3 s between requests (N/2 requests/s overall), mixing leaderboards 3 (their own tier's daily, weekly
 * and monthly boards), drawings 2, ticket purchase 1, activities 1, against TWO API processes on PostgreSQL (database `fittrack_bench_load` on DATABASE_URL's
 * server, dropped and re-migrated) + Redis (a queue prefix of its own), with a worker process running its
 * cron ticks and tracker syncs arriving at the plan's rate (every connection once per 15 minutes, against
 * a fake Terra served over HTTP by this process). Loopback only; bounded by the duration.
 *
 *   node bench/load/run.js [--users N] [--soak] [--duration SECONDS]
 *     --users N     users (default 5,000), seeded up front with a token each (minted as the app does)
 *     --soak        30 minutes instead of the 2-minute quick mode
 *     --duration S  any other length
 *
 * autocannon caps connections at the overall rate (one request a second at most per connection), so N users
 * are N/2 keep-alive connections at 1 request/s each, split over the two APIs; the users' tokens go round
 * robin over the requests, so each user still sends one every ~2 s. The connections are spread over 20
 * autocannon instances started 50 ms apart, so the once-a-second sends do not all fall on the same instant.
 * Prints p50/p95/p99, throughput, error rate, DB pool use and waits (scraped from /metrics every 5 s),
 * query p95 (db_query_duration_seconds), leaderboard cache hit rate, syncs done and RSS over the run.
 * 503s are counted apart from errors: past saturation the APIs shed load (ADR 0032: 503 + Retry-After at
 * once, or when no pool connection comes within DB_POOL_WAIT_MS), so goodput (2xx/s) and the latency of
 * served (2xx) requests are printed besides every answer's; the targets count 503s as errors.
 * Env: DATABASE_URL  REDIS_URL  BENCH_PORT (default 8790; the APIs take it and the next one)
 *      BENCH_PG_DATABASE (default fittrack_bench_load; dropped and re-created on DATABASE_URL's server)
 *      BENCH_CPU_PROF=<dir> (each API and worker process writes a V8 CPU profile there when it stops)
 */
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { recreatePostgresDatabase } = require('../support/databases');
const { insertRows } = require('../support/fixtures');

const ROOT = join(__dirname, '../..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const USERS = option('--users', 5000);
const SECONDS = option('--duration', flag('--soak') ? 1800 : 120);
const RATE = Math.max(1, Math.round(USERS / 2));
const CONNECTIONS = Math.min(USERS, RATE);
const INSTANCES = Math.min(20, CONNECTIONS);
const PORT = Number(process.env.BENCH_PORT ?? 8790);
const SCRAPE_MS = 5000;
const SYNC_TICK_MS = 10_000;
const SYNC_INTERVAL_MS = 15 * 60_000;
const DATABASE = process.env.BENCH_PG_DATABASE ?? 'fittrack_bench_load';
const SERVER = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const TERRA = { devId: 'bench-dev-id', apiKey: 'bench-terra-api-key', webhookSecret: 'bench-webhook-secret' };
const METRICS_TOKEN = randomUUID();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), 'fittrack-bench-load-'));
// Entities read DB_TYPE when they load: the environment first, then dist/.
const ENV = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  SEED_ON_EMPTY: 'false',
  FEATURE_HTML_TEST_PAGE: 'false',
  DB_TYPE: 'postgres',
  DATABASE_URL: Object.assign(new URL(SERVER), { pathname: `/${DATABASE}` }).href,
  DB_MIGRATE_ON_BOOT: 'false',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: `fittrack-bench-load-${randomUUID()}`,
  JWT_KEY_DIR: join(dir, 'keys'),
  // The soak outlasts the default 30-minute access token.
  JWT_ACCESS_TTL_SECONDS: '86400',
  METRICS_TOKEN,
  TERRA_MODE: 'live',
  TERRA_DEV_ID: TERRA.devId,
  TERRA_API_KEY: TERRA.apiKey,
  TERRA_WEBHOOK_SECRET: TERRA.webhookSecret,
  TERRA_TIMEOUT_MS: '30000',
};

/**
 * Users spread evenly over the 30 demographic tiers (tier-matrix.md), each with points earned through the
 * ledger (the boards' rollups follow), a token, and a Fitbit connection due for its 15-minute sync at an
 * instant spread evenly over the next 15 minutes; an admin. In this process's producer-only context (the CLI's), which stays open for the sync tick.
 */
async function seed(app, fake) {
  const { DataSource } = require('typeorm');
  const { LedgerService } = require(join(ROOT, 'dist/libs/points/src/index.js'));
  const { TokenService } = require(join(ROOT, 'dist/libs/auth/src/index.js'));
  const core = require(join(ROOT, 'dist/libs/core/src/index.js'));
  const { TIER_CODES } = require(join(ROOT, 'dist/libs/users/src/index.js'));
  const ds = app.get(DataSource);
  const insert = (table, rows) => insertRows(ds, table, rows);
  const now = Date.now();
  const created = new Date(now - 30 * 86_400_000);
  const users = Array.from({ length: USERS }, (_, u) => ({
    id: randomUUID(),
    email: `bench-load-${u}@example.com`,
    passwordHash: '!',
    role: 'user',
    status: 'active',
    emailVerified: true,
    createdAt: created,
  }));
  const admin = { ...users[0], id: randomUUID(), email: 'bench-load-admin@example.com', role: 'admin' };
  await insert('users', [...users, admin]);
  const tiers = [...users, admin].map((_, u) => TIER_CODES[u % TIER_CODES.length]);
  // A profile that matches its tier: sex, an age inside the bracket, the fitness level.
  const year = new Date().getUTCFullYear();
  const profile = (tier) => {
    const [sex, lower, , level] = tier.replace('60+', '60-99').split('-');
    return {
      biologicalSex: sex === 'M' ? 'male' : 'female',
      dateOfBirth: `${year - Number(lower) - 3}-01-01`,
      fitnessLevel: { BEG: 'beginner', INT: 'intermediate', ADV: 'advanced' }[level],
      tierCode: tier,
    };
  };
  await insert(
    'profiles',
    [...users, admin].map((user, u) => ({
      id: randomUUID(),
      userId: user.id,
      displayName: `Bench ${u}`,
      state: 'TX',
      timezone: 'America/New_York',
      ...profile(tiers[u]),
    })),
  );
  const connections = users.map((user, u) => ({
    id: randomUUID(),
    userId: user.id,
    provider: 'fitbit',
    terraUserId: randomUUID(),
    isPrimary: true,
    syncStatus: 'ok',
    lastSyncAt: new Date(now - SYNC_INTERVAL_MS + Math.floor((u / USERS) * SYNC_INTERVAL_MS)),
    createdAt: created,
    updatedAt: created,
  }));
  await insert('tracker_connections', connections);
  for (const c of connections) fake.createUser('FITBIT', c.userId, c.terraUserId);

  const today = core.calendarDateIn(new Date(), 'America/New_York');
  const ledger = app.get(LedgerService);
  const pay = async (from) => {
    for (let u = from; u < users.length; u += 8) {
      await ledger.post({
        userId: users[u].id,
        type: 'earn',
        amount: 100_000 + ((u * 7919) % 990),
        reference: { type: 'activity', id: randomUUID() },
        description: 'Bench activity',
        idempotencyKey: `bench-load:${users[u].id}`,
        earnedOn: today,
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, from) => pay(from)));
  const tokens = app.get(TokenService);
  return {
    members: users.map((user, u) => ({ token: tokens.signAccessToken(user).token, tier: tiers[u] })),
    adminToken: tokens.signAccessToken(admin).token,
  };
}

/** BENCH_CPU_PROF=<dir>: every API and worker process writes a V8 CPU profile there when it stops. */
const PROFILE = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];

function start(script, env) {
  const child = spawn(process.execPath, [...PROFILE, script], {
    cwd: ROOT,
    env: { ...process.env, ...ENV, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${script} exited (${code ?? signal}) during the run`);
  });
  return child;
}
let stopping = false;

async function waitReady(base) {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${base} did not become ready`);
}

const api = async (base, method, path, token, body) => {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

/** An open drawing for the whole run: 10 points a ticket. */
async function openDrawing(base, adminToken) {
  const now = Date.now();
  const drawing = await api(base, 'POST', '/admin/drawings', adminToken, {
    drawing_type: 'weekly',
    name: 'Load test drawing',
    ticket_cost_points: 10,
    opens_at: new Date(now - 60_000).toISOString(),
    ticket_sales_close: new Date(now + (SECONDS + 3600) * 1000).toISOString(),
    drawing_time: new Date(now + (SECONDS + 7200) * 1000).toISOString(),
    prizes: [{ rank: 1, name: 'Gift card', value_usd: 50, fulfillment_type: 'digital', digital_code: 'X' }],
    eligibility: { user_type: 'all', min_account_age_days: 0 },
  });
  for (const status of ['scheduled', 'open']) {
    await api(base, 'PUT', `/admin/drawings/${drawing.id}`, adminToken, { status });
  }
  return drawing.id;
}

/** The exposition text's samples: name{labels} value. */
async function scrape(base) {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const samples = [];
  for (const line of (await res.text()).split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}
const sum = (samples, name, where = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);

/** p-quantile of a cumulative histogram's increase, interpolated inside the bucket it falls in. */
function histogramQuantile(before, after, name, p) {
  const buckets = new Map();
  for (const [samples, sign] of [
    [after, 1],
    [before, -1],
  ]) {
    for (const s of samples.filter((x) => x.name === `${name}_bucket`)) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + sign * s.value);
    }
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (!total) return { value: null, count: 0 };
  let lower = 0;
  let below = 0;
  for (const [le, count] of sorted) {
    if (count >= p * total) {
      if (le === Infinity) return { value: lower, count: total, open: true };
      return { value: lower + ((p * total - below) / (count - below || 1)) * (le - lower), count: total };
    }
    lower = le;
    below = count;
  }
  return { value: null, count: total };
}

const rssMb = (pid) => {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
};

/** CPU seconds a process has used (user + system), from /proc: what the work cost, whatever the load. */
const TICKS_PER_SECOND = 100;
const cpuSeconds = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
};

/** CPU seconds of each PostgreSQL backend serving this database (pool connections live for the run). */
async function databaseCpu(ds) {
  const rows = await ds.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [DATABASE]);
  return new Map(rows.map(({ pid }) => [pid, cpuSeconds(pid) ?? 0]));
}
const cpuDelta = (before, after) =>
  [...after.entries()].reduce((total, [pid, cpu]) => total + cpu - (before.get(pid) ?? 0), 0);

/** Latency per millisecond bucket (to 60 s). */
class Latency {
  buckets = new Uint32Array(60_001);
  count = 0;
  add(ms) {
    this.count += 1;
    this.buckets[Math.min(60_000, Math.round(ms))] += 1;
  }
  quantile(p) {
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms];
      if (seen >= p * this.count) return ms;
    }
    return null;
  }
}

/** Latency of every answer and of the served (2xx) ones, and statuses, over every autocannon instance. */
class Tally {
  all = new Latency();
  served = new Latency();
  statuses = new Map();
  get count() {
    return this.all.count;
  }
  add(status, ms) {
    this.all.add(ms);
    if (status >= 200 && status < 300) this.served.add(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
  quantile(p) {
    return this.all.quantile(p);
  }
}

/** Each request goes as the next user in turn: every user sends one every N / rate seconds. */
let nextMember = 0;
function cannon(urls, drawingId, members, tally, connections, rate) {
  const as = (path) => (request) => {
    const member = members[nextMember++ % members.length];
    return {
      ...request,
      path: `/api/v1${path(member)}`,
      headers: { ...request.headers, authorization: `Bearer ${member.token}` },
    };
  };
  const get = (path) => ({ method: 'GET', setupRequest: as(() => path) });
  // A user reads the boards of their own tier.
  const board = (period) => ({
    method: 'GET',
    setupRequest: as((member) => `/leaderboards/${period}?tier=${encodeURIComponent(member.tier)}`),
  });
  // The plan's mix in one cycle of seven: leaderboards 3, drawings 2, purchase 1, activities 1.
  const requests = [
    board('weekly'),
    get('/drawings'),
    board('monthly'),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 1 }),
      setupRequest: as(() => `/drawings/${drawingId}/tickets`),
    },
    board('daily'),
    get('/drawings?filter%5Bstatus%5D=open'),
    get('/activities'),
  ];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: urls, connections, overallRate: rate, duration: SECONDS, requests, timeout: 10 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, status, _bytes, ms) => tally.add(status, ms));
  });
}

async function main() {
  console.log(
    `bench:load: ${USERS} users (${CONNECTIONS} connections at 1 request/s, ${RATE} requests/s), ${SECONDS} s, ` +
      `2 APIs + 1 worker, PostgreSQL, Redis; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  Object.assign(process.env, ENV);
  await recreatePostgresDatabase(SERVER, DATABASE);
  const { NestFactory } = require('@nestjs/core');
  const { DataSource } = require('typeorm');
  const Bull = require('bull');
  const { CliModule } = require(join(ROOT, 'dist/apps/cli/src/cli.module.js'));
  const core = require(join(ROOT, 'dist/libs/core/src/index.js'));
  const { FakeTerra, SyncService } = require(join(ROOT, 'dist/libs/trackers/src/index.js'));

  const fake = new FakeTerra(TERRA);
  const terraUrl = await fake.listen(0);
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  const children = [];
  try {
    await app.get(core.DatabaseService).runMigrations();
    const seedStart = performance.now();
    const { members, adminToken } = await seed(app, fake);
    console.log(`seeded ${USERS} users in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const terra = { TERRA_BASE_URL: terraUrl, TERRA_WIDGET_URL: `${terraUrl}/widget/session` };
    const bases = [PORT, PORT + 1].map((port) => `http://127.0.0.1:${port}`);
    const apis = [PORT, PORT + 1].map((port) =>
      start('dist/apps/api/src/main.js', { ...terra, PORT: String(port), HOST: '127.0.0.1' }),
    );
    const worker = start('dist/apps/worker/src/main.js', terra);
    children.push(...apis, worker);
    for (const base of bases) await waitReady(base);
    const drawingId = await openDrawing(bases[0], adminToken);

    // The 15-minute sync tick, run more often so the connections falling due are enqueued as they do.
    const ds = app.get(DataSource);
    const runStart = new Date();
    const sync = app.get(SyncService);
    const syncTick = setInterval(
      () => sync.enqueueDue().catch((e) => console.error(`sync tick: ${e}`)),
      SYNC_TICK_MS,
    );
    await sync.enqueueDue();

    const before = await Promise.all(bases.map(scrape));
    const cpuBefore = { apis: apis.map((c) => cpuSeconds(c.pid)), worker: cpuSeconds(worker.pid) };
    const dbCpuBefore = await databaseCpu(ds);
    const pool = { maxInUse: 0, max: 0, maxWaiting: 0, samplesWaiting: 0, samples: 0 };
    const rss = [];
    const sampleRss = () =>
      rss.push({
        at: performance.now(),
        apis: apis.map((c) => rssMb(c.pid)),
        worker: rssMb(worker.pid),
      });
    sampleRss();
    const monitor = setInterval(async () => {
      sampleRss();
      for (const base of bases) {
        const samples = await scrape(base).catch(() => []);
        const inUse = sum(samples, 'db_pool_connections', { state: 'in_use' });
        const waiting = sum(samples, 'db_pool_connections', { state: 'waiting' });
        pool.max = Math.max(pool.max, sum(samples, 'db_pool_connections', { state: 'max' }));
        pool.maxInUse = Math.max(pool.maxInUse, inUse);
        pool.maxWaiting = Math.max(pool.maxWaiting, waiting);
        pool.samples += 1;
        if (waiting > 0) pool.samplesWaiting += 1;
      }
    }, SCRAPE_MS);

    const tally = new Tally();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: INSTANCES }, async (_, k) => {
        await sleep((k * 1000) / INSTANCES);
        const share = (total) => Math.floor(total / INSTANCES) + (k < total % INSTANCES ? 1 : 0);
        return cannon(bases, drawingId, members, tally, share(CONNECTIONS), share(RATE));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(monitor);
    clearInterval(syncTick);
    sampleRss();
    const after = await Promise.all(bases.map(scrape));
    const loadEnd = loadavg();
    const apiCpu = apis.reduce((total, c, i) => total + cpuSeconds(c.pid) - cpuBefore.apis[i], 0);
    const workerCpu = cpuSeconds(worker.pid) - cpuBefore.worker;
    const dbCpu = cpuDelta(dbCpuBefore, await databaseCpu(ds));

    const failures = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
    const non2xx = [...tally.statuses.entries()].filter(([s]) => s < 200 || s >= 300);
    const bad = non2xx.reduce((n, [, c]) => n + c, 0) + failures;
    const busy = tally.statuses.get(503) ?? 0;
    const attempts = tally.count + failures;
    const delta = (name, where) =>
      after.reduce((n, s) => n + sum(s, name, where), 0) -
      before.reduce((n, s) => n + sum(s, name, where), 0);
    const flat = (list) => list.flat();
    // Where the non-2xx answers came from: the APIs' own count by route template and status.
    const byRoute = new Map();
    for (const [samples, sign] of [
      [flat(after), 1],
      [flat(before), -1],
    ]) {
      for (const s of samples.filter(
        (x) => x.name === 'http_requests_total' && !x.labels.status.startsWith('2'),
      )) {
        const key = `${s.labels.status} ${s.labels.method} ${s.labels.route}`;
        byRoute.set(key, (byRoute.get(key) ?? 0) + sign * s.value);
      }
    }
    let answeredByApis = 0;
    for (const [samples, sign] of [
      [flat(after), 1],
      [flat(before), -1],
    ]) {
      for (const s of samples.filter((x) => x.name === 'http_requests_total')) {
        if (!/^\/(health|metrics)/.test(s.labels.route)) answeredByApis += sign * s.value;
      }
    }
    const query = histogramQuantile(flat(before), flat(after), 'db_query_duration_seconds', 0.95);
    const hits = delta('leaderboard_cache_requests_total', { outcome: 'hit' });
    const misses = delta('leaderboard_cache_requests_total', { outcome: 'miss' });
    const synced = Number(
      (
        await ds.query('SELECT COUNT(*) AS n FROM tracker_connections WHERE last_sync_at >= $1', [runStart])
      )[0].n,
    );
    const activities = Number((await ds.query('SELECT COUNT(*) AS n FROM activities'))[0].n);
    const tickets = Number((await ds.query('SELECT COUNT(*) AS n FROM tickets'))[0].n);
    const trackers = new Bull(core.QueueName.Trackers, ENV.REDIS_URL, { prefix: ENV.QUEUE_PREFIX });
    const queue = await trackers.getJobCounts();
    await trackers.close();

    // Sync jobs done (Bull keeps the last 1,000 completed), or connections synced when more.
    const syncs = Math.max(synced, queue.completed);
    // RSS per process: its peak in each sixth of the run. Flat: the last third's peak is within 10 % of
    // the middle third's (a peak-to-peak comparison, so GC's sawtooth does not count as growth).
    const processes = [...apis.map((_, i) => [`api${i + 1}`, (r) => r.apis[i]]), ['worker', (r) => r.worker]];
    const peak = (of, from, to) =>
      Math.max(
        ...rss.slice(Math.floor(from * rss.length), Math.ceil(to * rss.length)).map((r) => of(r) ?? 0),
      );
    const sixths = processes.map(([name, of]) => [
      name,
      Array.from({ length: 6 }, (_, i) => peak(of, i / 6, (i + 1) / 6)),
    ]);
    const rssFlat = processes.every(([, of]) => peak(of, 2 / 3, 1) <= 1.1 * peak(of, 1 / 3, 2 / 3));
    const errorRate = (100 * bad) / attempts;
    const p95 = tally.served.quantile(0.95);
    const queryP95Ms = query.value === null ? null : query.value * 1000;
    const hitRate = hits + misses ? (100 * hits) / (hits + misses) : null;
    const checks = {
      'p95 (2xx) < 500 ms': p95 !== null && p95 < 500,
      'errors < 0.5 % (503s included)': errorRate < 0.5,
      'no pool exhaustion (no waiting)': pool.maxWaiting === 0,
      'query p95 < 100 ms': queryP95Ms !== null && queryP95Ms < 100,
      'cache hit > 80 %': hitRate !== null && hitRate > 80,
      'RSS flat (last third peak ≤ 1.1 × middle third peak)': rssFlat,
    };
    console.log(
      [
        `requests: ${tally.count} answered in ${seconds.toFixed(1)} s = ${(tally.count / seconds).toFixed(0)}/s (asked ${RATE}/s)`,
        `goodput: ${tally.served.count} served (2xx) = ${(tally.served.count / seconds).toFixed(0)}/s; the APIs answered ${answeredByApis} /api/v1 requests (more than the client saw: answers after its 10 s timeout)`,
        `latency of every answer: p50 ${tally.quantile(0.5)} ms, p95 ${tally.quantile(0.95)} ms, p99 ${tally.quantile(0.99)} ms`,
        `latency of served (2xx) answers: p50 ${tally.served.quantile(0.5)} ms, p95 ${p95} ms, p99 ${tally.served.quantile(0.99)} ms`,
        `errors: ${bad} of ${attempts} (${errorRate.toFixed(2)} %): ${non2xx.map(([s, c]) => `${c}×${s}`).join(', ') || 'no non-2xx'}, ${failures} socket errors/timeouts`,
        `of which busy (503): ${busy} (${((100 * busy) / attempts).toFixed(2)} %); shed by the APIs: ${delta('http_requests_shed_total', { reason: 'event_loop' })} on arrival for the event loop, ${delta('http_requests_shed_total', { reason: 'db_pool_queue' })} on arrival for the pool's queue, ${delta('http_requests_shed_total', { reason: 'db_pool_wait' })} after waiting DB_POOL_WAIT_MS for a connection; errors other than 503: ${(((bad - busy) * 100) / attempts).toFixed(2)} %`,
        `non-2xx by route (the APIs' count): ${
          [...byRoute.entries()]
            .filter(([, n]) => n > 0)
            .map(([key, n]) => `${n}× ${key}`)
            .join(', ') || 'none'
        }`,
        `db pool (per API, max ${pool.max}): peak in use ${pool.maxInUse}, peak waiting ${pool.maxWaiting} (${pool.samplesWaiting} of ${pool.samples} scrapes saw waiters)`,
        `query p95: ${queryP95Ms === null ? 'n/a' : `${queryP95Ms.toFixed(1)} ms${query.open ? '+' : ''}`} over ${query.count} queries (both APIs)`,
        `leaderboard cache: ${hitRate === null ? 'n/a' : `${hitRate.toFixed(1)} % hits`} (${hits} hits, ${misses} misses)`,
        `syncs: ${syncs} during the run (${(syncs / seconds).toFixed(2)}/s; plan rate ${(USERS / 900).toFixed(2)}/s), ${activities} activities stored, tracker queue at the end ${JSON.stringify(queue)}`,
        `tickets bought: ${tickets}`,
        `CPU used: APIs ${apiCpu.toFixed(1)} s (${((1000 * apiCpu) / tally.count).toFixed(2)} ms a request), ` +
          `worker ${workerCpu.toFixed(1)} s (${syncs ? ((1000 * workerCpu) / syncs).toFixed(0) : 'n/a'} ms a sync), ` +
          `PostgreSQL backends of this database ${dbCpu.toFixed(1)} s (${((1000 * dbCpu) / tally.count).toFixed(2)} ms a request, syncs included)`,
        `RSS peak in each sixth of the run (MB): ${sixths.map(([name, peaks]) => `${name} ${peaks.map((v) => v.toFixed(0)).join(' ')}`).join('; ')}`,
        `load average at the end: ${loadEnd.map((l) => l.toFixed(2)).join(' ')}`,
        `targets: ${Object.entries(checks)
          .map(([name, ok]) => `${name} ${ok ? 'met' : 'NOT met'}`)
          .join('; ')}`,
      ].join('\n'),
    );
  } finally {
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)),
    );
    const Bull = require('bull');
    for (const name of Object.values(require(join(ROOT, 'dist/libs/core/src/index.js')).QueueName)) {
      const queue = new Bull(name, ENV.REDIS_URL, { prefix: ENV.QUEUE_PREFIX });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    const Redis = require('ioredis');
    const redis = new Redis(ENV.REDIS_URL);
    for (const pattern of [`${ENV.QUEUE_PREFIX}:*`, `*${ENV.QUEUE_PREFIX}*`]) {
      const keys = await redis.keys(pattern);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
    await app.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
