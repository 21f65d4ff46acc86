// Metrics scrape cost: boots the built API (SQLite in a temp dir; Bull on REDIS_URL when set, so queue
// depth is read from Redis), sends traffic over many routes so the series exist, then times sequential
// GET /metrics scrapes. The budget is < 100 ms a scrape. `npm run bench:metrics` (builds first).
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');

const PORT = Number(process.env.BENCH_PORT || 8767);
const BASE = `http://127.0.0.1:${PORT}`;
const SCRAPES = Number(process.env.BENCH_SCRAPES || 200);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fittrack-bench-metrics-'));
  const env = {
    ...process.env,
    PORT: String(PORT),
    SQLITE_PATH: join(dir, 'db.sqlite'),
    JWT_KEY_DIR: join(dir, 'keys'),
    LOG_LEVEL: 'warn',
    SEED_ON_EMPTY: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
    QUEUE_PREFIX: `bench-metrics-${process.pid}`,
  };
  const api = spawn('node', ['dist/apps/api/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; ; i++) {
      if (i > 150) throw new Error('API did not start');
      const ok = await fetch(`${BASE}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(200);
    }
    // Traffic over several route templates and statuses, so the HTTP histograms have many series.
    const paths = ['/health', '/api/v1/drawings', '/api/v1/users/me', '/api/v1/nope', '/api/v1/leaderboards'];
    await new Promise((resolve, reject) =>
      autocannon(
        { url: BASE, connections: 20, amount: 5000, requests: paths.map((path) => ({ path })) },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    const times = [];
    let bytes = 0;
    for (let i = 0; i < SCRAPES; i++) {
      const started = performance.now();
      const res = await fetch(`${BASE}/metrics`);
      bytes = (await res.text()).length;
      if (!res.ok) throw new Error(`scrape answered ${res.status}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(
      JSON.stringify(
        {
          queue: process.env.REDIS_URL ? 'bull (Redis)' : 'in-process',
          scrapes: SCRAPES,
          body_kib: Math.round(bytes / 1024),
          p50_ms: Number(at(0.5)),
          p95_ms: Number(at(0.95)),
          max_ms: Number(times[times.length - 1].toFixed(1)),
          budget_ms: 100,
        },
        null,
        2,
      ),
    );
  } finally {
    api.kill('SIGTERM');
    await sleep(500);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
