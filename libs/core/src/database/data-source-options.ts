import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions, LoggerOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { ProcessRole } from '../core.module';
import { SnakeNamingStrategy } from './naming.strategy';
import { TypeOrmLogger } from '../logging/typeorm-logger';

/**
 * How long a process waits for a pool connection. An API request waits DB_POOL_WAIT_MS, then is answered
 * 503 + Retry-After (isDatabaseBusy below, ADR 0032): past saturation a client is better served by a
 * quick "busy" than by a queue it times out in. A job has no client waiting, and a failed attempt is
 * only retried later, so the worker and the CLI wait longer.
 */
export function poolWaitMs(config: AppConfig, role: ProcessRole): number {
  return role === 'api' ? config.database.poolWaitMs : Math.max(config.database.poolWaitMs, JOB_POOL_WAIT_MS);
}
const JOB_POOL_WAIT_MS = 10_000;

/**
 * The driver's "no pool connection within the wait" errors: node-postgres's pool (a plain Error, known by
 * its message only; test/ops/overload-pool checks it against the real pool) and node-oracledb's queue
 * timeout or full queue. The request never got a connection, so it changed nothing.
 */
export function isDatabaseBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.message === 'timeout exceeded when trying to connect' || /^NJS-0(40|76):/.test(error.message);
}

/**
 * TypeORM options for the configured database. Entities are registered by each domain module
 * (autoLoadEntities); migrations are passed in by the caller so core does not depend on them.
 */
export function dataSourceOptions(
  config: AppConfig,
  migrations: DataSourceOptions['migrations'],
  role: ProcessRole = 'cli',
) {
  const db = config.database;
  const waitMs = poolWaitMs(config, role);
  const common = {
    namingStrategy: new SnakeNamingStrategy(),
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // Through the app logger, at debug level: SQL (never its parameters) shows with LOG_LEVEL=debug.
    logging: (db.logQueries || ['debug', 'verbose'].includes(config.logLevel)
      ? 'all'
      : ['error', 'warn', 'migration']) as LoggerOptions,
    logger: new TypeOrmLogger(),
  };
  switch (db.type) {
    case 'postgres':
      return {
        ...common,
        type: 'postgres' as const,
        url: db.url,
        applicationName: 'fittrack',
        // connectionTimeoutMillis bounds both the wait for a free connection and the connect to the server.
        extra: { max: db.poolSize, connectionTimeoutMillis: waitMs, query_timeout: 30000 },
      };
    case 'oracle':
      return {
        ...common,
        type: 'oracle' as const,
        username: db.oracle.user,
        password: db.oracle.password,
        connectString: db.oracle.connectString,
        poolSize: db.poolSize,
        // queueTimeout: the wait for a free connection (NJS-040 past it; node-oracledb's default is 60 s).
        // queueMax: an API request finding that many waiting is refused at once (NJS-076); the pg pool has
        // no such bound, so http/overload.ts sheds those requests on arrival instead.
        extra: {
          queueTimeout: waitMs,
          ...(role === 'api' && db.poolMaxWaiting > 0 ? { queueMax: db.poolMaxWaiting } : {}),
        },
      };
    case 'sqlite':
      // No pool: one synchronous connection, so a request never waits for one (busy_timeout is a lock wait).
      if (db.sqlitePath !== ':memory:') mkdirSync(dirname(db.sqlitePath), { recursive: true });
      return {
        ...common,
        type: 'better-sqlite3' as const,
        database: db.sqlitePath,
        // WAL lets readers proceed during a write; the busy timeout queues writers instead of failing.
        enableWAL: db.sqlitePath !== ':memory:',
        prepareDatabase: (connection: { pragma(sql: string): unknown }) => {
          connection.pragma('busy_timeout = 5000');
          connection.pragma('foreign_keys = ON');
        },
      };
  }
}
