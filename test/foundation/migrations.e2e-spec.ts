import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { dataSourceOptions, parseConfig } from '@fittrack/core';
import { MIGRATIONS } from '../../migrations';

const TABLES = [
  'users',
  'profiles',
  'refresh_tokens',
  'auth_tokens',
  'tracker_connections',
  'activities',
  'point_transactions',
  'sponsors',
  'drawings',
  'prizes',
  'tickets',
  'prize_fulfillments',
  'email_outbox',
];

const onPostgres = process.env.TEST_DB === 'postgres';

/**
 * On PostgreSQL the migrations run in their own database, so the shared e2e database that the global
 * setup migrated is never touched.
 */
async function postgresUrl(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  const admin = new DataSource({ type: 'postgres', url: url.toString() });
  await admin.initialize();
  try {
    await admin.query('CREATE DATABASE fittrack_migrations');
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // already exists
  } finally {
    await admin.destroy();
  }
  url.pathname = '/fittrack_migrations';
  return url.toString();
}

async function openDataSource(): Promise<DataSource> {
  const env = onPostgres
    ? { DB_TYPE: 'postgres', DATABASE_URL: await postgresUrl() }
    : { DB_TYPE: 'sqlite', SQLITE_PATH: ':memory:' };
  // Constraint violations below are expected: keep TypeORM from logging them.
  const dataSource = new DataSource({ ...dataSourceOptions(parseConfig(env), MIGRATIONS), logging: false });
  await dataSource.initialize();
  // Start from nothing: a previous run may have left the schema behind.
  await dataSource.dropDatabase();
  return dataSource;
}

describe(`migrations up → down → up (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let dataSource: DataSource;
  let runner: QueryRunner;

  beforeAll(async () => {
    dataSource = await openDataSource();
    runner = dataSource.createQueryRunner();
  });

  afterAll(async () => {
    await runner?.release();
    await dataSource?.dropDatabase();
    await dataSource?.destroy();
  });

  const insert = (table: string, values: Record<string, unknown>) =>
    dataSource.createQueryBuilder().insert().into(table).values(values).execute();

  const user = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    email: `${randomUUID()}@example.com`,
    password_hash: 'x',
    ...overrides,
  });

  async function expectSchemaPresent(): Promise<void> {
    for (const table of TABLES) expect(await runner.hasTable(table)).toBe(true);
    const users = await runner.getTable('users');
    expect(users!.indices.map((index) => index.name)).toEqual(
      expect.arrayContaining(['uq_users_email', 'ix_users_role', 'ix_users_status', 'ix_users_created']),
    );
    const tickets = await runner.getTable('tickets');
    expect(tickets!.indices.find((index) => index.name === 'uq_tickets_drawing_number')).toMatchObject({
      isUnique: true,
      columnNames: ['drawing_id', 'ticket_number'],
    });
    expect(tickets!.foreignKeys.map((fk) => fk.name)).toEqual(
      expect.arrayContaining(['fk_tickets_drawing', 'fk_tickets_user', 'fk_tickets_purchase']),
    );
    const activities = await runner.getTable('activities');
    expect(activities!.indices.map((index) => index.name)).toContain('uq_activities_source');
  }

  async function expectConstraintsEnforced(): Promise<void> {
    // check constraint: balances never go negative
    await expect(insert('users', user({ point_balance: -1 }))).rejects.toThrow(/check|constraint/i);
    // unique email
    const owner = user();
    await insert('users', owner);
    await expect(insert('users', user({ email: owner.email }))).rejects.toThrow(/unique|duplicate/i);
    // unique (drawing_id, ticket_number)
    const drawingId = randomUUID();
    await insert('drawings', {
      id: drawingId,
      drawing_type: 'daily',
      name: 'Daily',
      ticket_cost_points: 100,
      opens_at: new Date('2026-01-01T00:00:00Z'),
      ticket_sales_close: new Date('2026-01-01T23:00:00Z'),
      drawing_time: new Date('2026-01-02T00:00:00Z'),
      eligibility: '{}',
    });
    const purchaseId = randomUUID();
    await insert('point_transactions', {
      id: purchaseId,
      user_id: owner.id,
      transaction_type: 'spend',
      amount: -100,
      balance_after: 0,
      description: 'ticket',
      idempotency_key: randomUUID(),
    });
    const ticket = () => ({
      id: randomUUID(),
      drawing_id: drawingId,
      user_id: owner.id,
      ticket_number: 1,
      purchase_transaction_id: purchaseId,
    });
    await insert('tickets', ticket());
    await expect(insert('tickets', ticket())).rejects.toThrow(/unique|duplicate/i);
    // foreign keys are on (SQLite needs the pragma): a ticket for a missing drawing fails
    await expect(
      insert('tickets', { ...ticket(), drawing_id: randomUUID(), ticket_number: 2 }),
    ).rejects.toThrow(/foreign key/i);
  }

  it('up creates every table, index, foreign key and check constraint', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    await expectSchemaPresent();
    await expectConstraintsEnforced();
    // Nothing left to apply: running again is a no-op.
    expect(await dataSource.runMigrations({ transaction: 'each' })).toEqual([]);
  });

  it('down removes every table', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    for (const table of TABLES) expect(await runner.hasTable(table)).toBe(false);
    expect(await dataSource.showMigrations()).toBe(true);
  });

  it('up again rebuilds the same schema on an empty database', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    await expectSchemaPresent();
    await expectConstraintsEnforced();
  });
});
