#!/usr/bin/env node
/**
 * Cached leaderboard reads over HTTP (npm run bench:leaderboards-http; uses the built dist/). On a fresh
 * SQLite file: BENCH_HTTP_USERS users (default 2,000) on the OPEN board, each paid once through the ledger
 * (so the hook writes their rollups), and an access token each. Then the built API runs in its own process
 * with the memory cache, and, after one warm-up read per user:
 * 1. p50/p95/p99 of BENCH_HTTP_REQUESTS sequential cached `GET /api/v1/leaderboards/weekly?tier=OPEN`,
 *    a different user each time (page of 100, my_position, around_me);
 * 2. autocannon, 100 connections for BENCH_HTTP_SECONDS (default 10) each: the API (users in turn, so the
 *    60/min per-user limit is never reached) against a bare Express app in its own process serving the
 *    same JSON body, after a 3 s warm-up of each, in BENCH_HTTP_ROUNDS (default 3) alternating rounds.
 *    Prints the median round's rates and ratio (the target: at least 50 %) and every round's ratio.
 */
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');

const ROOT = join(__dirname, '../..');
const USERS = Number(process.env.BENCH_HTTP_USERS ?? 2000);
const REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 1000);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 8768);
const BARE_PORT = PORT + 1;
const PATH = '/api/v1/leaderboards/weekly?tier=OPEN';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), 'fittrack-bench-lb-http-'));
const ENV = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  SEED_ON_EMPTY: 'false',
  REDIS_URL: '',
  DB_TYPE: 'sqlite',
  SQLITE_PATH: join(dir, 'db.sqlite'),
  DB_MIGRATE_ON_BOOT: 'false',
  JWT_KEY_DIR: join(dir, 'keys'),
  RATE_LIMIT_PER_MINUTE: '1000000',
  // The bench measures what a process serves at saturation; shedding (ADR 0032) would answer part of it
  // 503 at once and count those cheap answers as throughput. bench:load measures shedding.
  OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
  QUEUE_PREFIX: `bench-lb-http-${process.pid}`,
};

/** Users on OPEN, paid through the ledger, and a token each (in this process, then closed). */
async function prepare() {
  Object.assign(process.env, ENV);
  const { NestFactory } = require('@nestjs/core');
  const { DataSource } = require('typeorm');
  const { AppModule } = require(join(ROOT, 'dist/apps/api/src/app.module.js'));
  const core = require(join(ROOT, 'dist/libs/core/src/index.js'));
  const { LedgerService } = require(join(ROOT, 'dist/libs/points/src/index.js'));
  const { TokenService } = require(join(ROOT, 'dist/libs/auth/src/index.js'));
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    await app.get(core.DatabaseService).runMigrations();
    const ds = app.get(DataSource);
    const users = Array.from({ length: USERS }, (_, u) => ({
      id: randomUUID(),
      email: `bench-lb${u}@example.com`,
      passwordHash: '!',
      role: 'user',
      status: 'active',
      emailVerified: true,
    }));
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
            openTierOptIn: true,
            tierCode: 'OPEN',
          })),
        )
        .execute();
    }
    const today = core.calendarDateIn(new Date(), 'America/New_York');
    const ledger = app.get(LedgerService);
    for (const [u, user] of users.entries()) {
      await ledger.post({
        userId: user.id,
        type: 'earn',
        amount: 10 + ((u * 7919) % 990),
        reference: { type: 'activity', id: randomUUID() },
        description: 'Bench activity',
        idempotencyKey: `bench-lb:${user.id}`,
        earnedOn: today,
      });
    }
    const tokens = app.get(TokenService);
    return users.map((user) => tokens.signAccessToken(user).token);
  } finally {
    await app.close();
  }
}

/** User + system CPU seconds a process has used so far (Linux /proc; clock ticks of 10 ms). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function startProcess(args, env) {
  return spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer`);
}

function cannon(url, tokens, seconds = SECONDS) {
  let next = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        connections: 100,
        duration: seconds,
        requests: [
          {
            setupRequest: (request) =>
              tokens
                ? {
                    ...request,
                    headers: {
                      ...request.headers,
                      authorization: `Bearer ${tokens[next++ % tokens.length]}`,
                    },
                  }
                : request,
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

async function main() {
  const started = performance.now();
  const tokens = await prepare();
  const prepareSeconds = (performance.now() - started) / 1000;
  // BENCH_CPU_PROF=<dir>: the API writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const api = startProcess([...profile, 'dist/apps/api/src/main.js'], {
    ...process.env,
    ...ENV,
    PORT: String(PORT),
  });
  let bare;
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitFor(`${base}/health/ready`);
    const read = async (token) => {
      const res = await fetch(base + PATH, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`leaderboard answered ${res.status}: ${await res.text()}`);
      return res.text();
    };
    let body = '';
    for (const token of tokens) body = await read(token); // warm: every user's page and position cached
    const parsed = JSON.parse(body);
    if (parsed.total_users !== USERS || !parsed.my_position || parsed.rankings.length !== 100) {
      throw new Error(`unexpected board: ${body.slice(0, 300)}`);
    }
    const samples = [];
    for (let i = 0; i < REQUESTS; i++) {
      const at = performance.now();
      await read(tokens[i % tokens.length]);
      samples.push(performance.now() - at);
    }
    samples.sort((a, b) => a - b);
    const q = (p) => Number(samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(2));

    const bodyFile = join(dir, 'body.json');
    writeFileSync(bodyFile, body);
    bare = startProcess(
      [
        '-e',
        `const body = require('fs').readFileSync(${JSON.stringify(bodyFile)});
         const app = require('express')();
         app.get('/api/v1/leaderboards/weekly', (req, res) => res.type('application/json').send(body));
         app.listen(${BARE_PORT}, '127.0.0.1');`,
      ],
      process.env,
    );
    await waitFor(`http://127.0.0.1:${BARE_PORT}${PATH}`);
    // Warm-up (not measured), then rounds alternating the API and Express, so a change in the machine's
    // load hits both; the median round's figures are reported.
    await cannon(base + PATH, tokens, 3);
    await cannon(`http://127.0.0.1:${BARE_PORT}${PATH}`, null, 3);
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const apiCpu = cpuSeconds(api.pid);
      const app = await cannon(base + PATH, tokens);
      const apiCpuS = cpuSeconds(api.pid) - apiCpu;
      const bareCpu = cpuSeconds(bare.pid);
      const express = await cannon(`http://127.0.0.1:${BARE_PORT}${PATH}`);
      const bareCpuS = cpuSeconds(bare.pid) - bareCpu;
      rounds.push({
        app,
        express,
        ratio: app.requests.average / express.requests.average,
        // CPU time per request of each server: what the machine's load does not change.
        cpuUs: [(apiCpuS * 1e6) / app.requests.total, (bareCpuS * 1e6) / express.requests.total],
      });
    }
    const ratios = rounds.map((r) => r.ratio).sort((a, b) => a - b);
    const { app, express } = rounds.find((r) => r.ratio === ratios[Math.floor(ratios.length / 2)]);
    const failed = (r) => r.errors + r.timeouts + (r.non2xx ?? 0);
    console.log(
      JSON.stringify(
        {
          users: USERS,
          prepare_s: Number(prepareSeconds.toFixed(1)),
          body_bytes: body.length,
          cached_ms: { requests: REQUESTS, p50: q(0.5), p95: q(0.95), p99: q(0.99) },
          throughput: {
            connections: 100,
            seconds: SECONDS,
            app_rps: Math.round(app.requests.average),
            app_p99_ms: app.latency.p99,
            app_failed: failed(app),
            express_rps: Math.round(express.requests.average),
            express_p99_ms: express.latency.p99,
            express_failed: failed(express),
            ratio_pct: Number(((app.requests.average / express.requests.average) * 100).toFixed(1)),
            rounds_ratio_pct: rounds.map((r) => Number((r.ratio * 100).toFixed(1))),
            rounds_cpu_us_per_request_api_vs_express: rounds.map((r) => r.cpuUs.map(Math.round)),
            target_pct: 50,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    api.kill('SIGTERM');
    bare?.kill('SIGTERM');
    await sleep(profile.length ? 3000 : 500);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
