#!/usr/bin/env node
/**
 * Drawings benchmark (npm run bench:drawings; uses the built dist/). Two parts, each database in child
 * processes (entities read DB_TYPE when they load; peak RSS is per process):
 *
 * 1. Purchases (PostgreSQL; database `fittrack_bench_drawings_buy`): BENCH_BUYERS buyers (default 200) at
 *    once, each making BENCH_BUY_EACH one-ticket purchases (default 10) in a row through TicketsService
 *    (the purchase service itself, no HTTP: HTTP would add the same cost as any other route and the bench is
 *    about the purchase transaction), with points for only 80 % of them, so refusals race the payments.
 *    Prints purchases/s, then the same number of ticket rows as plain one-row INSERTs at the same
 *    concurrency (the ceiling: no locks, no ledger) and the ratio. Fails unless no balance is negative,
 *    every buyer's ledger is consistent (sequence 1..n, balance_after chained, balance = sum = last
 *    balance_after), and the tickets are numbered 1..N without gap with N = total_tickets = purchases.
 * 2. Close and draw (SQLite and PostgreSQL; database `drawings-<size>`): for each size in BENCH_SIZES
 *    (default 100,000 and 1,000,000), a fixture child inserts an open drawing's tickets in bulk by SQL
 *    (a fixture, not ticket sales), then a fresh child closes it (the streamed tickets_hash) and executes it
 *    (3 prizes) through DrawingExecutionService, printing each time, the RSS after boot and the peak RSS of
 *    the process and the heap still held after a forced GC. The measuring child runs with the old space
 *    capped (BENCH_HEAP_CAP_MB, default 128) for every size, so a draw that held the list could not finish;
 *    flat peaks across sizes show nothing grows with the ticket count.
 * Env: BENCH_DBS=sqlite,postgres  BENCH_SIZES=100000,1000000  BENCH_BUYERS=200 (0: no purchases)  BENCH_BUY_EACH=10
 *      BENCH_USERS=10000 (ticket owners for part 2)  DATABASE_URL (server for PostgreSQL)
 *      BENCH_DB_TAG=<name> (suffix of the bench's database names)  BENCH_CPU_PROF=<dir> (the purchases child writes a V8 CPU profile of its buying phase there)
 */
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { join } = require('node:path');
const { benchDatabaseEnv } = require('../support/databases');
const { insertBenchUsers } = require('../support/fixtures');

const ROOT = join(__dirname, '../..');
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').filter(Boolean).map(Number);
const BUYERS = Number(process.env.BENCH_BUYERS ?? 200);
const BUY_EACH = Number(process.env.BENCH_BUY_EACH ?? 10);
const OWNERS = Number(process.env.BENCH_USERS ?? 10_000);
const HEAP_CAP_MB = Number(process.env.BENCH_HEAP_CAP_MB ?? 128);
const COST = 10;
// BENCH_DB_TAG=<name>: databases (and SQLite files) of one's own, beside another run's.
const TAG = process.env.BENCH_DB_TAG ? `-${process.env.BENCH_DB_TAG}` : '';
// A pool wait of 3 s, as the figures so far had: an API process now sheds after 1 s (ADR 0032), and the
// baselines' 200 plain queries in flight over 10 connections would fail instead of queueing.
const QUIET = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  SEED_ON_EMPTY: 'false',
  REDIS_URL: '',
  DB_POOL_WAIT_MS: '3000',
};
const MB = 1024 * 1024;

/** Boots the app context on the database in the environment. */
async function boot() {
  const { NestFactory } = require('@nestjs/core');
  const { AppModule } = require(join(ROOT, 'dist/apps/api/src/app.module.js'));
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  return {
    app,
    core: require(join(ROOT, 'dist/libs/core/src/index.js')),
    sweepstakes: require(join(ROOT, 'dist/libs/sweepstakes/src/index.js')),
    ds: app.get(require('typeorm').DataSource),
  };
}

/** `count` users with profiles (accounts old enough for any eligibility rule); returns their ids. */
async function insertUsers(ds, count) {
  const users = await insertBenchUsers(ds, count, {
    label: 'drawings',
    user: () => ({ createdAt: new Date('2026-01-01T00:00:00Z') }),
    profile: () => ({ tierCode: 'F-30-39-INT' }),
  });
  return users.map((user) => user.id);
}

/** An open drawing (created, scheduled with its seed and opened through the services), three prizes. */
async function openDrawing({ app, core, sweepstakes }, name) {
  const now = Date.now();
  const drawing = await app.get(sweepstakes.DrawingsService).create(
    {
      drawing_type: 'daily',
      name,
      ticket_cost_points: COST,
      opens_at: new Date(now - 60_000).toISOString(),
      ticket_sales_close: new Date(now + 3_600_000).toISOString(),
      drawing_time: new Date(now + 3_900_000).toISOString(),
      prizes: [1, 2, 3].map((rank) => ({
        rank,
        name: `Prize ${rank}`,
        value_usd: 50,
        fulfillment_type: 'digital',
        digital_code: `CODE-${rank}`,
      })),
      eligibility: { user_type: 'all', min_account_age_days: 0 },
    },
    core.SYSTEM_PRINCIPAL,
  );
  const execution = app.get(sweepstakes.DrawingExecutionService);
  await execution.transition(drawing.id, 'scheduled', core.SYSTEM_PRINCIPAL);
  await execution.transition(drawing.id, 'open', core.SYSTEM_PRINCIPAL);
  return drawing.id;
}

/** Runs `task(i)` for i < count with `width` of them in flight at once. */
async function pool(count, width, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Samples the bench database's sessions every 50 ms from a connection of its own (pg_stat_activity): how
 * often the app's connections wait on a lock (the drawing row), run a statement, or sit idle in a
 * transaction waiting for the app's next statement. `stop()` returns each state's share of the samples.
 */
function sessionStates(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  const counts = {};
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query(
        `SELECT CASE WHEN wait_event_type = 'Lock' THEN 'waiting on a lock'
                     WHEN state = 'active' THEN 'running a statement'
                     WHEN state = 'idle in transaction' THEN 'in a transaction, waiting for the app'
                     ELSE 'idle in the pool' END AS what, count(*)::int AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
          GROUP BY 1`,
      );
      for (const row of rows) counts[row.what] = (counts[row.what] ?? 0) + row.n;
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Object.fromEntries(Object.entries(counts).map(([what, n]) => [what, n / samples]));
    },
  };
}

/**
 * BENCH_CPU_PROF=<dir>: a V8 CPU profile of what runs until `stop()` (the buying phase alone, not the boot
 * or the fixtures), written to <dir>/drawings-purchases-<time>.cpuprofile for Chrome DevTools or speedscope.
 */
async function startProfile() {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return null;
  const { Session } = require('node:inspector/promises');
  const { mkdirSync, writeFileSync } = require('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `drawings-purchases-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.error(`CPU profile of the buying phase: ${file}`);
    },
  };
}

/** Part 1, in the child: concurrent purchases, then the plain-INSERT ceiling, then the invariants. */
async function purchases() {
  const ctx = await boot();
  const { app, core, sweepstakes, ds } = ctx;
  const database = app.get(core.DatabaseService);
  await database.dropSchema();
  await database.runMigrations();
  const buyers = await insertUsers(ds, BUYERS);
  const { LedgerService } = require(join(ROOT, 'dist/libs/points/src/index.js'));
  const ledger = app.get(LedgerService);
  const affordable = Math.floor(BUY_EACH * 0.8);
  for (const userId of buyers) {
    await ledger.post({
      userId,
      type: 'earn',
      amount: affordable * COST,
      reference: { type: 'activity', id: randomUUID() },
      description: 'bench award',
      idempotencyKey: `bench:${userId}`,
      earnedOn: new Date().toISOString().slice(0, 10),
    });
  }
  const drawingId = await openDrawing(ctx, 'Purchase bench');
  const tickets = app.get(sweepstakes.TicketsService);
  const principal = (userId) => ({ userId, email: 'x', role: 'user', jti: 'x', exp: 0 });
  const outcomes = { bought: 0, insufficient: 0, other: [] };
  const profiler = await startProfile();
  const cpuBefore = process.cpuUsage();
  const sampling = sessionStates(process.env.DATABASE_URL);
  const started = performance.now();
  await Promise.all(
    buyers.map(async (userId) => {
      for (let i = 0; i < BUY_EACH; i++) {
        try {
          await tickets.purchase(drawingId, 1, principal(userId));
          outcomes.bought++;
        } catch (error) {
          if (error.message === 'Insufficient points') outcomes.insufficient++;
          else outcomes.other.push(String(error));
        }
      }
    }),
  );
  const buySeconds = (performance.now() - started) / 1000;
  const sessions = await sampling.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  await profiler?.stop();

  // The ceiling: as many ticket rows, one autocommitted INSERT each, as many in flight as buyers.
  const ceilingDrawing = await openDrawing(ctx, 'Insert ceiling');
  const insertStarted = performance.now();
  await pool(outcomes.bought, BUYERS, (i) =>
    ds.query('INSERT INTO tickets (id, drawing_id, user_id, ticket_number) VALUES ($1, $2, $3, $4)', [
      randomUUID(),
      ceilingDrawing,
      buyers[i % buyers.length],
      i + 1,
    ]),
  );
  const insertSeconds = (performance.now() - insertStarted) / 1000;

  // The floor of gapless numbering, in the purchase's own form: per ticket one statement moves the drawing's
  // total and inserts the ticket numbered from it (the row locked from there to the commit), then the
  // commit, as many in flight; what any purchase must at least hold the drawing row for.
  const numberedDrawing = await openDrawing(ctx, 'Numbered ceiling');
  const numberedStarted = performance.now();
  await pool(outcomes.bought, BUYERS, (i) =>
    ds.transaction((manager) =>
      manager.query(
        `WITH c AS (UPDATE drawings SET total_tickets = total_tickets + 1 WHERE id = $1 RETURNING total_tickets)
         INSERT INTO tickets (id, drawing_id, user_id, ticket_number) SELECT $2, $1, $3, c.total_tickets FROM c`,
        [numberedDrawing, randomUUID(), buyers[i % buyers.length]],
      ),
    ),
  );
  const numberedSeconds = (performance.now() - numberedStarted) / 1000;

  // The invariants: no overdraft, every ledger consistent, tickets 1..N = purchases.
  const problems = [];
  const [{ negative }] = await ds.query(
    'SELECT count(*)::int AS negative FROM users WHERE point_balance < 0',
  );
  if (negative) problems.push(`${negative} negative balances`);
  const balances = await ds.query(
    `SELECT u.id, u.point_balance AS balance, count(t.id)::int AS entries, coalesce(sum(t.amount), 0)::int AS total,
            max(t.sequence) AS last_sequence,
            (SELECT balance_after FROM point_transactions l WHERE l.user_id = u.id ORDER BY sequence DESC LIMIT 1) AS last_after,
            count(*) FILTER (WHERE t.transaction_type = 'spend')::int AS spends
       FROM users u LEFT JOIN point_transactions t ON t.user_id = u.id GROUP BY u.id`,
  );
  let spends = 0;
  for (const b of balances) {
    spends += b.spends;
    if (b.balance !== b.total || b.balance !== b.last_after || b.entries !== b.last_sequence)
      problems.push(`ledger of ${b.id} inconsistent: ${JSON.stringify(b)}`);
  }
  const [{ chained }] = await ds.query(
    `SELECT count(*)::int AS chained FROM point_transactions t JOIN point_transactions p
        ON p.user_id = t.user_id AND p.sequence = t.sequence - 1 WHERE t.balance_after <> p.balance_after + t.amount`,
  );
  if (chained) problems.push(`${chained} entries whose balance_after does not chain`);
  const numbers = (
    await ds.query('SELECT ticket_number FROM tickets WHERE drawing_id = $1 ORDER BY ticket_number', [
      drawingId,
    ])
  ).map((row) => row.ticket_number);
  const [{ total_tickets: totalTickets }] = await ds.query(
    'SELECT total_tickets FROM drawings WHERE id = $1',
    [drawingId],
  );
  if (numbers.some((n, i) => n !== i + 1)) problems.push('ticket numbers have a gap or a duplicate');
  if (numbers.length !== outcomes.bought || totalTickets !== outcomes.bought || spends !== outcomes.bought)
    problems.push(
      `${outcomes.bought} purchases, ${numbers.length} tickets, total ${totalTickets}, ${spends} spends`,
    );
  // Every affordable purchase succeeds unless something else (a pool timeout) refused it.
  if (outcomes.bought + outcomes.other.length < BUYERS * affordable)
    problems.push(`${outcomes.bought} purchases succeeded, ${BUYERS * affordable} were affordable`);
  await app.close();
  return {
    ...outcomes,
    other: outcomes.other.length,
    otherSample: [...new Set(outcomes.other)].slice(0, 2),
    buySeconds,
    nodeCpuSeconds,
    sessions,
    insertSeconds,
    numberedSeconds,
    problems,
  };
}

/** Part 2, fixture child: an open drawing whose `size` tickets are inserted in bulk, by SQL. */
async function fixture(size) {
  const ctx = await boot();
  const { app, core, ds } = ctx;
  const database = app.get(core.DatabaseService);
  await database.dropSchema();
  await database.runMigrations();
  const owners = await insertUsers(ds, OWNERS);
  const drawingId = await openDrawing(ctx, `Draw bench ${size}`);
  const postgres = process.env.DB_TYPE === 'postgres';
  await ds.query('CREATE TEMPORARY TABLE bench_owners (k INTEGER PRIMARY KEY, user_id VARCHAR(36))');
  for (let i = 0; i < owners.length; i += 500) {
    const chunk = owners.slice(i, i + 500);
    const values = chunk.map((_, j) => (postgres ? `($${2 * j + 1}, $${2 * j + 2})` : '(?, ?)')).join(', ');
    await ds.query(
      `INSERT INTO bench_owners (k, user_id) VALUES ${values}`,
      chunk.flatMap((id, j) => [i + j, id]),
    );
  }
  // Owner of ticket n: owners[n mod count]; ids generated by the database (gen_random_uuid / randomblob).
  if (postgres) {
    // In slices: the pool's query timeout (30 s) bounds each statement.
    for (let from = 1; from <= size; from += 100_000) {
      await ds.query(
        `INSERT INTO tickets (id, drawing_id, user_id, ticket_number)
         SELECT gen_random_uuid()::text, $1, o.user_id, n
           FROM generate_series($2::int, $3::int) n JOIN bench_owners o ON o.k = n % $4::int`,
        [drawingId, from, Math.min(size, from + 99_999), owners.length],
      );
    }
    await ds.query('UPDATE drawings SET total_tickets = $1 WHERE id = $2', [size, drawingId]);
    await ds.query('VACUUM ANALYZE tickets');
  } else {
    await ds.query(
      `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
       INSERT INTO tickets (id, drawing_id, user_id, ticket_number)
       SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
                || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
              ?, o.user_id, s.n
         FROM s JOIN bench_owners o ON o.k = s.n % ?`,
      [size, drawingId, owners.length],
    );
    await ds.query('UPDATE drawings SET total_tickets = ? WHERE id = ?', [size, drawingId]);
    await ds.query('ANALYZE');
  }
  await app.close();
  return { drawingId };
}

/** Part 2, measuring child: close (streamed hash) and execute, with times and RSS. */
async function draw(drawingId) {
  const { app, core, sweepstakes } = await boot();
  const execution = app.get(sweepstakes.DrawingExecutionService);
  global.gc?.();
  const bootRss = process.memoryUsage().rss;
  const bootHeap = process.memoryUsage().heapUsed;
  let peakRss = bootRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const closeStarted = performance.now();
  await execution.transition(drawingId, 'closed', core.SYSTEM_PRINCIPAL);
  const closeSeconds = (performance.now() - closeStarted) / 1000;
  const executeStarted = performance.now();
  const result = await execution.execute(drawingId, core.SYSTEM_PRINCIPAL);
  const executeSeconds = (performance.now() - executeStarted) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const maxRss = process.resourceUsage().maxRSS * 1024; // the kernel's high-water mark, boot included
  global.gc?.();
  const retainedHeap = process.memoryUsage().heapUsed - bootHeap; // what close and draw kept alive
  if (result.status !== 'completed' || result.winners.length !== 3 || !result.tickets_hash)
    throw new Error(`Drawing not drawn as expected: ${JSON.stringify(result).slice(0, 300)}`);
  await app.close();
  return {
    closeSeconds,
    executeSeconds,
    bootRss,
    peakRss,
    maxRss,
    retainedHeap,
    total: result.total_tickets,
    winners: result.winners.map((w) => w.ticket_number),
  };
}

function inChild(env, args, nodeOptions = []) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', ...nodeOptions, __filename, '--child', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...QUIET, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(out.trim().split('\n').pop());
}

async function main() {
  const { loadavg } = require('node:os');
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`load average at start: ${load()}`);
  let failed = false;
  // BENCH_BUYERS=0: the close and draw part alone.
  if (DBS.includes('postgres') && BUYERS > 0) {
    const env = await benchDatabaseEnv('postgres', `drawings-buy${TAG}`);
    const r = inChild(env, ['purchases']);
    const rate = r.bought / r.buySeconds;
    const ceiling = r.bought / r.insertSeconds;
    const numbered = r.bought / r.numberedSeconds;
    const attempts = r.bought + r.insufficient + r.other;
    console.log(
      `[postgres] purchases: ${BUYERS} buyers x ${BUY_EACH} one-ticket purchases at once: ${r.bought} bought, ` +
        `${r.insufficient} refused (Insufficient points), ${r.other} other errors in ${r.buySeconds.toFixed(2)} s = ` +
        `${Math.round(rate)} purchases/s; the app process used ${((r.nodeCpuSeconds / r.buySeconds) * 100).toFixed(0)} % ` +
        `of a core, ${((r.nodeCpuSeconds / r.bought) * 1000).toFixed(2)} ms of CPU a purchase ` +
        `(${((r.nodeCpuSeconds / attempts) * 1000).toFixed(2)} ms an attempt, refusals included)`,
    );
    console.log(
      `  baselines: plain INSERT of ${r.bought} ticket rows at ${BUYERS} in flight: ` +
        `${r.insertSeconds.toFixed(2)} s = ${Math.round(ceiling)} rows/s, purchases at ` +
        `${((rate / ceiling) * 100).toFixed(1)} % of it; numbered INSERT (one statement moving the total and inserting, commit) ` +
        `${r.numberedSeconds.toFixed(2)} s = ${Math.round(numbered)} rows/s, purchases at ` +
        `${((rate / numbered) * 100).toFixed(1)} % of it (load ${load()})`,
    );
    console.log(
      `  the app's database sessions on average: ${Object.entries(r.sessions)
        .map(([what, n]) => `${n.toFixed(1)} ${what}`)
        .join(', ')}`,
    );
    if (r.other) console.log(`  ${r.other} purchases failed otherwise: ${r.otherSample.join('; ')}`);
    console.log(
      r.problems.length
        ? `  INVARIANTS BROKEN: ${r.problems.join('; ')}`
        : '  no overdraft, every ledger consistent, tickets 1..N without gap = purchases',
    );
    failed ||= r.problems.length > 0;
  }
  const rows = [];
  for (const db of DBS) {
    for (const size of SIZES) {
      const env = await benchDatabaseEnv(db, `drawings-${size}${TAG}`);
      const { drawingId } = inChild(env, ['fixture', String(size)]);
      // Under a fixed old-space cap, the same for every size: a draw that held the list would not fit.
      const r = inChild(env, ['draw', drawingId], [`--max-old-space-size=${HEAP_CAP_MB}`]);
      console.log(
        `[${db}] ${size} tickets: close (tickets_hash) ${r.closeSeconds.toFixed(2)} s, execute ` +
          `${r.executeSeconds.toFixed(2)} s, RSS after boot ${Math.round(r.bootRss / MB)} MB, peak during ` +
          `close+draw ${Math.round(r.peakRss / MB)} MB (process max ${Math.round(r.maxRss / MB)} MB), heap kept ` +
          `after GC ${(r.retainedHeap / MB).toFixed(1)} MB, old space capped at ${HEAP_CAP_MB} MB; ` +
          `winners ${r.winners.join(', ')} (load ${load()})`,
      );
      rows.push({ db, size, ...r });
    }
  }
  if (rows.length) {
    console.log(
      '\n| database | tickets | close | execute | close + draw | RSS after boot | peak RSS | heap kept |\n|---|---|---|---|---|---|---|---|',
    );
    for (const r of rows) {
      console.log(
        `| ${r.db} | ${r.size.toLocaleString('en-US')} | ${r.closeSeconds.toFixed(2)} s | ` +
          `${r.executeSeconds.toFixed(2)} s | ${(r.closeSeconds + r.executeSeconds).toFixed(2)} s | ` +
          `${Math.round(r.bootRss / MB)} MB | ${Math.round(r.peakRss / MB)} MB | ${(r.retainedHeap / MB).toFixed(1)} MB |`,
      );
    }
  }
  console.log(`load average at end: ${load()}`);
  if (failed) process.exit(1);
}

async function child() {
  const [part, arg] = process.argv.slice(process.argv.indexOf('--child') + 1);
  const result =
    part === 'purchases'
      ? await purchases()
      : part === 'fixture'
        ? await fixture(Number(arg))
        : await draw(arg);
  process.stdout.write(JSON.stringify(result) + '\n');
}

(process.argv.includes('--child') ? child() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
