// Auth benchmark: login throughput/p95 at BCRYPT_COST=12, and GET /users/me with a valid token compared
// with a bare Express app in its own process returning the same JSON (same run). Run with
// `npm run bench:auth` (builds first). Env: BENCH_DURATION (s per run, default 10), BENCH_ROUNDS (API and
// baseline alternate, default 3; the median round is reported), BENCH_SKIP_LOGIN=1, BENCH_REDIS_URL,
// BENCH_CPU_PROF=<dir> (the API writes a V8 CPU profile there when it stops).
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');
const Database = require('better-sqlite3');

const PORT = Number(process.env.BENCH_PORT || 8765);
const BASE = `http://127.0.0.1:${PORT}`;
const DURATION = Number(process.env.BENCH_DURATION || 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const PASSWORD = 'Bench-Passw0rd!2026';

/** User + system CPU seconds a process has used so far (Linux /proc; clock ticks of 10 ms). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForHealth(url = `${BASE}/health`) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  throw new Error('API did not start');
}

const run = (options) =>
  new Promise((resolve, reject) =>
    autocannon({ duration: DURATION, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );

const summary = (name, result) => ({
  name,
  requests_per_sec: Math.round(result.requests.average),
  p50_ms: result.latency.p50,
  p95_ms: percentile(result),
  p99_ms: result.latency.p99,
  non_2xx: result.non2xx,
  errors: result.errors,
});

/** autocannon reports p90/p97.5; p95 is interpolated between them. */
const percentile = (result) => (result.latency.p90 + result.latency.p97_5) / 2;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-bench-'));
  const sqlitePath = join(dir, 'bench.sqlite');
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const api = spawn(process.execPath, [...profile, 'dist/apps/api/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DB_TYPE: 'sqlite',
      SQLITE_PATH: sqlitePath,
      SEED_ON_EMPTY: 'false',
      BCRYPT_COST: '12',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      // One user's token for the whole run: the global per-user limit would answer 429 instead.
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Serving capacity at saturation, not shedding (ADR 0032; bench:load measures that).
      OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
      JWT_KEY_DIR: join(dir, 'keys'),
      LOG_LEVEL: 'warn',
      // BENCH_REDIS_URL: the production shape (deny-list, rate limits and access invalidation in Redis).
      REDIS_URL: process.env.BENCH_REDIS_URL || '',
      QUEUE_PREFIX: `bench-auth-${process.pid}`,
      SMTP_URL: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitForHealth();
    const email = `bench-${Date.now()}@example.com`;
    const registered = await fetch(`${BASE}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, date_of_birth: '1990-01-01', state: 'TX' }),
    });
    if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
    // Verified directly in the database: the bench measures login, not the mailbox.
    const db = new Database(sqlitePath);
    db.prepare("UPDATE users SET status = 'active', email_verified = 1 WHERE email = ?").run(email);
    db.close();

    const loginBody = JSON.stringify({ email, password: PASSWORD });
    const login = process.env.BENCH_SKIP_LOGIN
      ? null
      : await run({
          url: `${BASE}/api/v1/auth/login`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: loginBody,
          connections: 8,
        });
    const { access_token: token } = await (
      await fetch(`${BASE}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: loginBody,
      })
    ).json();
    const meBody = await (
      await fetch(`${BASE}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } })
    ).text();

    // The baseline in its own process, like the API: Express's JSON response of the same body.
    const bodyFile = join(dir, 'me.json');
    writeFileSync(bodyFile, meBody);
    const bare = spawn(
      process.execPath,
      [
        '-e',
        `const body = require('fs').readFileSync(${JSON.stringify(bodyFile)});
         const app = require('express')();
         app.get('/api/v1/users/me', (req, res) => res.type('application/json').send(body));
         app.listen(${PORT + 1}, '127.0.0.1');`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    // Rounds alternate API and baseline, so a change in the machine's load hits both; the ratio is the
    // median of the rounds' ratios.
    const rounds = [];
    try {
      await waitForHealth(`http://127.0.0.1:${PORT + 1}/api/v1/users/me`);
      // Warm-up, not measured: both servers' code compiled by the JIT before the rounds.
      await run({
        url: `${BASE}/api/v1/users/me`,
        headers: { authorization: `Bearer ${token}` },
        duration: 3,
      });
      await run({ url: `http://127.0.0.1:${PORT + 1}/api/v1/users/me`, duration: 3 });
      for (let round = 0; round < ROUNDS; round++) {
        const apiCpu = cpuSeconds(api.pid);
        const me = await run({
          url: `${BASE}/api/v1/users/me`,
          headers: { authorization: `Bearer ${token}` },
          connections: 16,
        });
        if (me.non2xx || me.errors) throw new Error(`GET /users/me failed ${me.non2xx + me.errors} times`);
        const apiCpuS = cpuSeconds(api.pid) - apiCpu;
        const bareCpu = cpuSeconds(bare.pid);
        const baseline = await run({ url: `http://127.0.0.1:${PORT + 1}/api/v1/users/me`, connections: 16 });
        const bareCpuS = cpuSeconds(bare.pid) - bareCpu;
        rounds.push({
          me,
          baseline,
          ratio: me.requests.average / baseline.requests.average,
          // CPU time per request of each server: what the machine's load does not change.
          cpuUs: {
            api: (apiCpuS * 1e6) / me.requests.total,
            bare: (bareCpuS * 1e6) / baseline.requests.total,
          },
        });
      }
    } finally {
      bare.kill('SIGTERM');
    }
    const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
    const median = rounds.find((r) => r.ratio === ratios[Math.floor(ratios.length / 2)]);
    const { me, baseline } = median;

    const rows = [
      ...(login ? [summary('POST /auth/login (bcrypt 12)', login)] : []),
      summary('GET /users/me (valid token)', me),
      summary('bare Express, same JSON', baseline),
    ];
    console.table(rows);
    const cpu = rounds.map((r) => `${r.cpuUs.api.toFixed(0)} vs ${r.cpuUs.bare.toFixed(0)} µs`);
    console.log(`CPU per request, API vs bare Express, by round: ${cpu.join('; ')}`);
    console.log(
      `GET /users/me reaches ${(median.ratio * 100).toFixed(1)}% of the bare Express app's throughput ` +
        `(median of ${ROUNDS} rounds; each: ${rounds.map((r) => (r.ratio * 100).toFixed(1)).join(', ')} %)`,
    );
  } finally {
    api.kill('SIGTERM');
    await sleep(profile.length ? 3000 : 500);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
