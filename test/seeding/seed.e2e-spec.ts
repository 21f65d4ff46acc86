import { createHash } from 'node:crypto';
import { compare } from 'bcrypt';
import { DataSource } from 'typeorm';
import { DatabaseService, DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD } from '@fittrack/core';
import {
  DEFAULT_SEED,
  SEED_ENTITIES,
  SEED_USER_PASSWORD,
  SeedService,
  type SeedResult,
} from '@fittrack/seeding';
import { UsersRepository } from '@fittrack/users';
import { apiClient, asAdmin, createUserWithToken } from '../support/api-client';
import { createTestApp, productionEnv, type TestApp, withEnv } from '../support/test-app';

// Seeding pays every activity through the engine and the ledger: seconds per seed on PostgreSQL.
jest.setTimeout(60_000);

const NOW = '2026-03-10T15:30:00Z';
const TIERS = ['M', 'F'].flatMap((sex) =>
  ['18-29', '30-39', '40-49', '50-59', '60+'].flatMap((bracket) =>
    ['BEG', 'INT', 'ADV'].map((fitness) => `${sex}-${bracket}-${fitness}`),
  ),
);

type Rows = Array<Record<string, unknown>>;

const num = (value: unknown) => Number(value);

/**
 * What the points engine and the ledger write at seed time rather than from the seed: the clock's time of
 * the run, and ledger entry ids (which tickets reference). Ledger rows are compared in sequence order.
 */
const RUN_SPECIFIC: Record<string, string[]> = {
  users: ['updated_at'],
  activities: ['created_at', 'updated_at', 'processed_at'],
  point_transactions: ['id', 'created_at'],
  tickets: ['purchase_transaction_id'],
  // Sealed with SecretBox: a random IV per value, so each run's ciphertext differs (like a bcrypt salt).
  prize_fulfillments: ['shipping_address'],
};

/** Content of every seeded table, except bcrypt hashes (their salt is random by design) and RUN_SPECIFIC. */
async function digest(db: DataSource): Promise<string> {
  const hash = createHash('sha256');
  for (const table of SEED_ENTITIES) {
    const order = table === 'point_transactions' ? 'user_id, sequence' : 'id';
    const rows: Rows = await db.query(`SELECT * FROM ${table} ORDER BY ${order}`);
    for (const row of rows) {
      delete row.password_hash;
      for (const column of RUN_SPECIFIC[table] ?? []) delete row[column];
      hash.update(JSON.stringify(row));
    }
  }
  return hash.digest('hex');
}

async function tableCount(db: DataSource, table: string): Promise<number> {
  const [row] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return num(row.n);
}

describe('Seeding', () => {
  describe('Database seeding generates complete test data', () => {
    let t: TestApp;
    let db: DataSource;
    let result: SeedResult;

    beforeAll(async () => {
      t = await createTestApp({ now: NOW });
      db = t.app.get(DataSource);
      // PostgreSQL suites share one database: start from a known clean state.
      result = await t.app.get(SeedService).reset();
    });
    afterAll(() => t.close());

    // Its speed is a benchmark's business (bench/seed-and-list), not a timed assertion here.
    it('populates every core table with the counts it reports', async () => {
      expect(result.durationMs).toBeGreaterThan(0);
      expect(result.randomSeed).toBe(DEFAULT_SEED.randomSeed);
      expect(result.referenceTime.toISOString()).toBe('2026-03-10T00:00:00.000Z');
      for (const table of SEED_ENTITIES) {
        const count = await tableCount(db, table);
        expect({ table, count }).toEqual({
          table,
          count: result.counts[table as keyof typeof result.counts],
        });
        expect({ table, count }).toEqual({ table, count: expect.any(Number) });
        expect(count).toBeGreaterThan(0);
      }
      expect(result.counts.users).toBe(DEFAULT_SEED.users);
      expect(result.counts.activities).toBeGreaterThanOrEqual(200);
      expect(result.counts.point_transactions).toBeGreaterThanOrEqual(50);
      expect(result.counts.tickets).toBeGreaterThanOrEqual(100);
    });

    it('has users of every role, at least 3 admins, all active and verified, the configured admin first', async () => {
      const roles: Rows = await db.query('SELECT role, COUNT(*) AS n FROM users GROUP BY role');
      const byRole = Object.fromEntries(roles.map((r) => [r.role, num(r.n)]));
      expect(byRole.user).toBeGreaterThanOrEqual(10);
      expect(byRole.premium).toBeGreaterThanOrEqual(10);
      expect(byRole.admin).toBeGreaterThanOrEqual(3);
      const [inactive] = await db.query(
        `SELECT COUNT(*) AS n FROM users WHERE status <> 'active' OR email_verified <> ${trueLiteral()}`,
      );
      expect(num(inactive.n)).toBe(0);
      const users = t.app.get(UsersRepository);
      const admin = await users.findByEmail(DEFAULT_ADMIN_EMAIL);
      expect(admin?.role).toBe('admin');
      expect(await compare(DEFAULT_ADMIN_PASSWORD, admin!.passwordHash)).toBe(true);
      for (const email of ['admin2@fittrack.local', 'user1@fittrack.local', 'premium1@fittrack.local']) {
        const user = await users.findByEmail(email);
        expect(await compare(SEED_USER_PASSWORD, user!.passwordHash)).toBe(true);
      }
      // The seeded credentials work through the real login.
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'premium1@fittrack.local', password: SEED_USER_PASSWORD })
        .expect(200);
    });

    it('places users of both player roles in all 30 tiers and OPEN, with profiles matching their tier', async () => {
      const rows: Rows = await db.query(
        `SELECT u.role, p.tier_code, p.biological_sex, p.fitness_level, p.open_tier_opt_in, CAST(p.date_of_birth AS varchar(10)) AS date_of_birth
         FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.role <> 'admin'`,
      );
      for (const role of ['user', 'premium']) {
        const tiers = new Set(rows.filter((r) => r.role === role).map((r) => r.tier_code));
        expect([...tiers].sort()).toEqual([...TIERS, 'OPEN'].sort());
      }
      for (const row of rows.filter((r) => r.tier_code !== 'OPEN')) {
        const [, sex, low, fitness] = /^([MF])-(\d+)(?:-\d+|\+)-(BEG|INT|ADV)$/.exec(String(row.tier_code))!;
        expect(row.biological_sex).toBe(sex === 'M' ? 'male' : 'female');
        expect(String(row.fitness_level).slice(0, 3).toUpperCase()).toBe(fitness);
        const age = ageOn(String(row.date_of_birth).slice(0, 10), '2026-03-10');
        expect(age).toBeGreaterThanOrEqual(Number(low));
        expect(age).toBeLessThanOrEqual(
          Number(low) === 60 ? 120 : Number(low) + (Number(low) === 18 ? 11 : 9),
        );
      }
      expect(rows.filter((r) => r.tier_code === 'OPEN').every((r) => Boolean(num(r.open_tier_opt_in)))).toBe(
        true,
      );
    });

    it('connects at least 5 trackers per provider, one primary per user', async () => {
      const rows: Rows = await db.query(
        'SELECT provider, COUNT(*) AS n FROM tracker_connections GROUP BY provider',
      );
      const byProvider = Object.fromEntries(rows.map((r) => [r.provider, num(r.n)]));
      for (const provider of ['fitbit', 'google_fit', 'apple_health']) {
        expect(byProvider[provider]).toBeGreaterThanOrEqual(5);
      }
      const [bad] = await db.query(
        `SELECT COUNT(*) AS n FROM (SELECT user_id FROM tracker_connections WHERE is_primary = ${trueLiteral()}
         GROUP BY user_id HAVING COUNT(*) <> 1) x`,
      );
      expect(num(bad.n)).toBe(0);
    });

    it('has activities of every type and intensity with realistic metrics', async () => {
      const activities: Rows = await db.query(
        'SELECT activity_type, intensity, metrics, duration_minutes, points_earned FROM activities',
      );
      const metrics = (row: Record<string, unknown>) =>
        (typeof row.metrics === 'string' ? JSON.parse(row.metrics) : row.metrics) as Record<string, number>;
      const byType = (type: string) => activities.filter((a) => a.activity_type === type);
      expect(byType('steps').length).toBeGreaterThanOrEqual(50);
      expect(byType('workout').length).toBeGreaterThanOrEqual(50);
      expect(byType('active_minutes').length).toBeGreaterThanOrEqual(50);
      expect(new Set(activities.map((a) => a.intensity).filter(Boolean))).toEqual(
        new Set(['light', 'moderate', 'vigorous']),
      );
      for (const a of byType('steps')) {
        expect(metrics(a).steps).toBeGreaterThanOrEqual(2000);
        expect(metrics(a).steps).toBeLessThanOrEqual(15000);
      }
      for (const a of byType('workout')) {
        expect(metrics(a).active_minutes).toBe(num(a.duration_minutes));
        expect(metrics(a).max_heart_rate).toBeGreaterThan(metrics(a).avg_heart_rate);
      }
      expect(activities.every((a) => num(a.points_earned) > 0)).toBe(true);
    });

    it('keeps a ledger of every type whose chains and sums match each balance', async () => {
      const types: Rows = await db.query(
        'SELECT transaction_type, COUNT(*) AS n FROM point_transactions GROUP BY transaction_type',
      );
      expect(types.map((r) => r.transaction_type).sort()).toEqual(['adjust', 'earn', 'refund', 'spend']);
      const [keys] = await db.query(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT idempotency_key) AS d FROM point_transactions',
      );
      expect(num(keys.d)).toBe(num(keys.n));
      const [mismatch] = await db.query(
        `SELECT COUNT(*) AS n FROM users u
         WHERE u.point_balance <> COALESCE((SELECT SUM(amount) FROM point_transactions t WHERE t.user_id = u.id), 0)
            OR u.total_points_earned <> COALESCE((SELECT SUM(amount) FROM point_transactions t
                                                  WHERE t.user_id = u.id AND t.transaction_type = 'earn'), 0)`,
      );
      expect(num(mismatch.n)).toBe(0);
      const ledger: Rows = await db.query(
        'SELECT user_id, amount, balance_after FROM point_transactions ORDER BY user_id, sequence',
      );
      const running = new Map<string, number>();
      for (const row of ledger) {
        const balance = (running.get(String(row.user_id)) ?? 0) + num(row.amount);
        expect(num(row.balance_after)).toBe(balance);
        expect(balance).toBeGreaterThanOrEqual(0);
        running.set(String(row.user_id), balance);
      }
    });

    it('has drawings of every type and status; tickets across drawings, paid for, numbered 1..N', async () => {
      const drawings: Rows = await db.query(
        'SELECT id, drawing_type, status, total_tickets, ticket_cost_points FROM drawings',
      );
      expect(new Set(drawings.map((d) => d.drawing_type))).toEqual(
        new Set(['daily', 'weekly', 'monthly', 'annual']),
      );
      expect(new Set(drawings.map((d) => d.status))).toEqual(
        new Set(['draft', 'scheduled', 'open', 'closed', 'completed', 'cancelled']),
      );
      const tickets: Rows = await db.query('SELECT drawing_id, ticket_number FROM tickets');
      const withTickets = drawings.filter((d) => num(d.total_tickets) > 0);
      expect(withTickets.length).toBeGreaterThanOrEqual(3);
      for (const drawing of drawings) {
        const numbers = tickets
          .filter((ticket) => ticket.drawing_id === drawing.id)
          .map((ticket) => num(ticket.ticket_number))
          .sort((a, b) => a - b);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
        expect(numbers.length).toBe(num(drawing.total_tickets));
      }
      const [unpaid] = await db.query(
        `SELECT COUNT(*) AS n FROM point_transactions t JOIN drawings d ON d.id = t.reference_id
         WHERE t.transaction_type = 'spend'
           AND -t.amount <> d.ticket_cost_points * (SELECT COUNT(*) FROM tickets k WHERE k.purchase_transaction_id = t.id)`,
      );
      expect(num(unpaid.n)).toBe(0);
      const [staff] = await db.query(
        "SELECT COUNT(*) AS n FROM tickets k JOIN users u ON u.id = k.user_id WHERE u.role = 'admin'",
      );
      expect(num(staff.n)).toBe(0);
      // Every ticket of the cancelled drawing was refunded.
      const [refunds] = await db.query(
        `SELECT COALESCE(SUM(t.amount), 0) AS refunded,
                (SELECT COALESCE(SUM(-s.amount), 0) FROM point_transactions s JOIN drawings c ON c.id = s.reference_id
                 WHERE c.status = 'cancelled' AND s.transaction_type = 'spend') AS spent
         FROM point_transactions t WHERE t.transaction_type = 'refund'`,
      );
      expect(num(refunds.refunded)).toBe(num(refunds.spent));
      expect(num(refunds.refunded)).toBeGreaterThan(0);
    });

    it('has 3 completed drawings with winners and a fulfillment per winner', async () => {
      const completed: Rows = await db.query(
        "SELECT id, seed, seed_commitment FROM drawings WHERE status = 'completed'",
      );
      expect(completed).toHaveLength(3);
      for (const drawing of completed) {
        expect(
          createHash('sha256')
            .update(Buffer.from(String(drawing.seed), 'hex'))
            .digest('hex'),
        ).toBe(drawing.seed_commitment);
        const winners: Rows = await db.query(
          `SELECT k.id, k.user_id, k.prize_id, f.status, f.user_id AS f_user, f.prize_id AS f_prize
           FROM tickets k LEFT JOIN prize_fulfillments f ON f.ticket_id = k.id
           WHERE k.drawing_id = $1 AND k.is_winner = ${trueLiteral()}`.replace(
            '$1',
            `'${String(drawing.id)}'`,
          ),
        );
        expect(winners.length).toBeGreaterThanOrEqual(1);
        expect(new Set(winners.map((w) => w.user_id)).size).toBe(winners.length);
        for (const winner of winners) {
          expect(winner.prize_id).toBeTruthy();
          expect(winner.f_prize).toBe(winner.prize_id);
          expect(winner.f_user).toBe(winner.user_id);
        }
      }
      const [total] = await db.query('SELECT COUNT(*) AS n FROM prize_fulfillments');
      expect(num(total.n)).toBeGreaterThanOrEqual(3);
    });

    it('has 10 sponsors including "FitTrack Platform", which sponsors the gift cards', async () => {
      const sponsors: Rows = await db.query('SELECT id, name FROM sponsors');
      expect(sponsors).toHaveLength(10);
      const platform = sponsors.find((s) => s.name === 'FitTrack Platform');
      expect(platform).toBeDefined();
      const [cards] = await db.query(
        `SELECT COUNT(*) AS n FROM prizes WHERE fulfillment_type = 'digital' AND sponsor_id = '${String(platform!.id)}'`,
      );
      expect(num(cards.n)).toBeGreaterThan(0);
    });

    it('leaves no orphaned references', async () => {
      const checks: Array<[string, string, string, boolean?]> = [
        ['profiles', 'user_id', 'users'],
        ['tracker_connections', 'user_id', 'users'],
        ['activities', 'user_id', 'users'],
        ['activities', 'connection_id', 'tracker_connections', true],
        ['point_transactions', 'user_id', 'users'],
        ['prizes', 'drawing_id', 'drawings'],
        ['prizes', 'sponsor_id', 'sponsors', true],
        ['tickets', 'drawing_id', 'drawings'],
        ['tickets', 'user_id', 'users'],
        ['tickets', 'purchase_transaction_id', 'point_transactions'],
        ['tickets', 'prize_id', 'prizes', true],
        ['prize_fulfillments', 'ticket_id', 'tickets'],
        ['prize_fulfillments', 'prize_id', 'prizes'],
        ['prize_fulfillments', 'user_id', 'users'],
        ['drawings', 'created_by', 'users', true],
      ];
      for (const [table, column, parent, nullable] of checks) {
        const [row] = await db.query(
          `SELECT COUNT(*) AS n FROM ${table} c LEFT JOIN ${parent} p ON p.id = c.${column}
           WHERE p.id IS NULL${nullable ? ` AND c.${column} IS NOT NULL` : ''}`,
        );
        expect({ table, column, orphans: num(row.n) }).toEqual({ table, column, orphans: 0 });
      }
      const [activityRefs] = await db.query(
        `SELECT COUNT(*) AS n FROM point_transactions t LEFT JOIN activities a ON a.id = t.reference_id
         WHERE t.reference_type = 'activity' AND a.id IS NULL`,
      );
      expect(num(activityRefs.n)).toBe(0);
    });
  });

  describe('determinism, repeated seeding and reset', () => {
    it('gives identical rows for the same random seed on the same day, different ones for another seed', async () => {
      const first = await createTestApp({ now: NOW });
      await first.app.get(SeedService).reset({ randomSeed: 7 });
      const a = await digest(first.app.get(DataSource));
      await first.close();

      const second = await createTestApp({ now: '2026-03-10T23:59:00Z' });
      await second.app.get(SeedService).reset({ randomSeed: 7 });
      expect(await digest(second.app.get(DataSource))).toBe(a);
      await second.app.get(SeedService).reset({ randomSeed: 8 });
      expect(await digest(second.app.get(DataSource))).not.toBe(a);
      await second.close();
    });

    it('adds another consistent batch when data exists, reusing the sponsors', async () => {
      const t = await createTestApp({ now: NOW });
      const db = t.app.get(DataSource);
      try {
        const seeding = t.app.get(SeedService);
        await seeding.reset({ users: 20, activities: 60, drawings: 10 });
        const again = await seeding.seed({ users: 20, activities: 60, drawings: 10 });
        expect(again.counts.users).toBe(20);
        expect(again.counts.sponsors).toBe(0);
        expect(await tableCount(db, 'users')).toBe(40);
        expect(await tableCount(db, 'sponsors')).toBe(10);
        const [admins] = await db.query(
          `SELECT COUNT(*) AS n FROM users WHERE email = '${DEFAULT_ADMIN_EMAIL}'`,
        );
        expect(num(admins.n)).toBe(1);
        const [mismatch] = await db.query(
          `SELECT COUNT(*) AS n FROM users u WHERE u.point_balance <>
           COALESCE((SELECT SUM(amount) FROM point_transactions t WHERE t.user_id = u.id), 0)`,
        );
        expect(num(mismatch.n)).toBe(0);
      } finally {
        await t.close();
      }
    });

    it('reset drops everything, re-applies the migrations and seeds a known state', async () => {
      const t = await createTestApp({ now: NOW });
      const db = t.app.get(DataSource);
      try {
        const seeding = t.app.get(SeedService);
        const clean = await seeding.reset();
        const cleanDigest = await digest(db);
        const extra = await createUserWithToken(t);
        expect(await tableCount(db, 'users')).toBe(clean.counts.users + 1);

        const again = await seeding.reset();
        expect(again.counts).toEqual(clean.counts);
        expect(await t.app.get(UsersRepository).findByEmail(extra.user.email)).toBeNull();
        expect(await digest(db)).toBe(cleanDigest);
        const migrations: Rows = await db.query('SELECT name FROM migrations');
        expect(migrations.map((m) => m.name)).toEqual(db.migrations.map((m) => m.name));
      } finally {
        await t.close();
      }
    });

    it('seedIfEmpty seeds an empty database once, and boot seeds it when SEED_ON_EMPTY is on', async () => {
      const t = await createTestApp({ now: NOW });
      try {
        const database = t.app.get(DatabaseService);
        await database.dropSchema();
        await database.runMigrations();
        const seeding = t.app.get(SeedService);
        expect((await seeding.seedIfEmpty())?.counts.users).toBe(DEFAULT_SEED.users);
        expect(await seeding.seedIfEmpty()).toBeNull();
        expect(await tableCount(t.app.get(DataSource), 'users')).toBe(DEFAULT_SEED.users);
        await database.dropSchema();
        await database.runMigrations();
      } finally {
        await t.close();
      }
      const booted = await withEnv({ SEED_ON_EMPTY: 'true' }, () => createTestApp({ now: NOW }));
      try {
        expect(await tableCount(booted.app.get(DataSource), 'users')).toBe(DEFAULT_SEED.users);
      } finally {
        await booted.close();
      }
    });
  });

  describe('admin endpoints', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ now: NOW });
    });
    afterAll(() => t.close());

    it('POST /admin/seed adds data and returns counts per entity', async () => {
      const admin = await asAdmin(t);
      const res = await admin
        .post('/admin/seed')
        .send({ users: 30, activities: 90, drawings: 10, random_seed: 11 })
        .expect(200);
      expect(res.body.counts).toMatchObject({ users: 30, activities: 90, drawings: 10 });
      expect(res.body.random_seed).toBe(11);
      expect(res.body.duration_ms).toEqual(expect.any(Number));
      const [row] = await t.app
        .get(DataSource)
        .query("SELECT COUNT(*) AS n FROM users WHERE email LIKE 'premium%@fittrack.local'");
      expect(num(row.n)).toBeGreaterThanOrEqual(10);
    });

    it('POST /admin/reset wipes and reseeds, returning the counts', async () => {
      const admin = await asAdmin(t);
      const res = await admin.post('/admin/reset').expect(200);
      expect(res.body.counts.users).toBe(DEFAULT_SEED.users);
      expect(await tableCount(t.app.get(DataSource), 'users')).toBe(DEFAULT_SEED.users);
    });

    it('rejects bad bodies with 422 and changes nothing', async () => {
      const admin = await asAdmin(t);
      const before = await tableCount(t.app.get(DataSource), 'users');
      for (const body of [
        { users: 0 },
        { users: 100_000 },
        { activities: -1 },
        { random_seed: 'x' },
        { colour: 'red' },
      ]) {
        const res = await admin.post('/admin/seed').send(body).expect(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect(await tableCount(t.app.get(DataSource), 'users')).toBe(before);
    });

    it('needs an admin: 401 anonymous, 403 for a player', async () => {
      await apiClient(t).post('/admin/seed').expect(401);
      const player = await createUserWithToken(t, { role: 'premium' });
      await player.client.post('/admin/reset').expect(403);
    });
  });

  it('answers 404 in production, even to an admin, and seeds nothing', async () => {
    const t = await withEnv(productionEnv(), () => createTestApp({ now: NOW }));
    try {
      const db = t.app.get(DataSource);
      const before = await tableCount(db, 'users');
      const anonymous = await apiClient(t).post('/admin/seed').expect(404);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const admin = await asAdmin(t);
      await admin.post('/admin/seed').expect(404);
      await admin.post('/admin/reset').expect(404);
      expect(await tableCount(db, 'users')).toBe(before + 1);
    } finally {
      await t.close();
    }
  });
});

function trueLiteral(): string {
  return process.env.DB_TYPE === 'postgres' ? 'true' : '1';
}

function ageOn(birth: string, day: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
