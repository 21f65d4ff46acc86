// Auth benchmark: login throughput/p95 at BCRYPT_COST=12, and GET /users/me with a valid token compared
// with a bare Node http server returning the same JSON. Run with `npm run bench:auth` (builds first).
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');
const Database = require('better-sqlite3');

const PORT = Number(process.env.BENCH_PORT || 8765);
const BASE = `http://127.0.0.1:${PORT}`;
const DURATION = Number(process.env.BENCH_DURATION || 10);
const PASSWORD = 'Bench-Passw0rd!2026';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForHealth() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
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
  const api = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
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
      JWT_KEY_DIR: join(dir, 'keys'),
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
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
    const login = await run({
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

    const me = await run({
      url: `${BASE}/api/v1/users/me`,
      headers: { authorization: `Bearer ${token}` },
      connections: 16,
    });

    const bare = http.createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(meBody);
    });
    await new Promise((resolve) => bare.listen(PORT + 1, '127.0.0.1', resolve));
    const baseline = await run({ url: `http://127.0.0.1:${PORT + 1}/`, connections: 16 });
    bare.close();

    const rows = [
      summary('POST /auth/login (bcrypt 12)', login),
      summary('GET /users/me (valid token)', me),
      summary('bare node http, same JSON', baseline),
    ];
    console.table(rows);
    console.log(
      `GET /users/me reaches ${((me.requests.average / baseline.requests.average) * 100).toFixed(1)}% of the bare server's throughput (ratio ${(me.requests.average / baseline.requests.average).toFixed(3)})`,
    );
  } finally {
    api.kill('SIGTERM');
    await sleep(500);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
