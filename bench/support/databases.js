/**
 * A bench's own database, named `name`: a SQLite file under data/bench (removed first), or a PostgreSQL
 * database on DATABASE_URL's server (created when missing; the bench drops its schema and migrates).
 * Returns the environment for the process that boots the app on it.
 */
const { mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '../..');

async function benchDatabaseEnv(db, name) {
  if (db === 'sqlite') {
    const dir = join(ROOT, 'data/bench');
    const file = join(dir, `${name}.sqlite`);
    rmSync(file, { force: true });
    mkdirSync(dir, { recursive: true });
    return { DB_TYPE: 'sqlite', SQLITE_PATH: file, DB_MIGRATE_ON_BOOT: 'false' };
  }
  const { Client } = require('pg');
  const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const admin = new Client({
    connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).href,
  });
  await admin.connect();
  const database = `fittrack_bench_${name.replace(/-/g, '_')}`;
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return {
    DB_TYPE: 'postgres',
    DATABASE_URL: Object.assign(new URL(server), { pathname: `/${database}` }).href,
    DB_MIGRATE_ON_BOOT: 'false',
  };
}

/** Drops and creates the PostgreSQL database `name` on `server` (a URL), for a bench that migrates it itself. */
async function recreatePostgresDatabase(server, name) {
  const { Client } = require('pg');
  const admin = new Client({
    connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).href,
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

module.exports = { benchDatabaseEnv, recreatePostgresDatabase };
