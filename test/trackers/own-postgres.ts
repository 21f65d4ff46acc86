import { serverQuery } from '../support/isolated-database';

/**
 * Import this first in a spec that runs on a PostgreSQL database of its own (entities read DB_TYPE when
 * they load): the server is DATABASE_URL's (default the local one), the database this process's own.
 */
const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
export const OWN_DATABASE = `fittrack_own_${process.pid}`;
process.env.DB_TYPE = 'postgres';
process.env.DATABASE_URL = Object.assign(new URL(server), { pathname: `/${OWN_DATABASE}` }).href;
process.env.DB_MIGRATE_ON_BOOT = 'true';

const admin = (sql: string) => serverQuery(Object.assign(new URL(server), { pathname: '/postgres' }), sql);

/** A fresh, empty database (the app's boot migrates it). */
export const createOwnDatabase = () =>
  admin(`DROP DATABASE IF EXISTS ${OWN_DATABASE} WITH (FORCE)`).then(() =>
    admin(`CREATE DATABASE ${OWN_DATABASE}`),
  );

export const dropOwnDatabase = () => admin(`DROP DATABASE IF EXISTS ${OWN_DATABASE} WITH (FORCE)`);
