import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface IsolatedDatabase {
  /** Environment for the app boot (`withEnv`): the database of its own, migrated at boot. */
  env: Record<string, string>;
  drop: () => Promise<void>;
}

/**
 * A PostgreSQL database of its own for a suite that the shared `DATABASE_URL` would disturb or be disturbed
 * by (one that wipes it, or one that asserts whole leaderboards, which other files' users would join).
 * SQLite in memory is already one database per app: nothing to do there.
 */
export async function isolatedDatabase(label: string): Promise<IsolatedDatabase> {
  if (process.env.TEST_DB !== 'postgres') return { env: {}, drop: async () => undefined };
  const shared = new URL(process.env.DATABASE_URL!);
  const name = `${shared.pathname.slice(1)}_${label}_${randomUUID().slice(0, 8)}`;
  const admin = (sql: string) => serverQuery(shared, sql);
  await admin(`CREATE DATABASE "${name}"`);
  const own = new URL(shared);
  own.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: own.toString(), DB_MIGRATE_ON_BOOT: 'true' },
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Runs one statement on the PostgreSQL server of `url` (CREATE/DROP DATABASE), on a connection of its own. */
export async function serverQuery(url: URL, sql: string): Promise<void> {
  const connection = await new DataSource({ type: 'postgres', url: url.toString() }).initialize();
  try {
    await connection.query(sql);
  } finally {
    await connection.destroy();
  }
}
