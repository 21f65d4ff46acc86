import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions, LoggerOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { SnakeNamingStrategy } from './naming.strategy';
import { TypeOrmLogger } from '../logging/typeorm-logger';

/**
 * TypeORM options for the configured database. Entities are registered by each domain module
 * (autoLoadEntities); migrations are passed in by the caller so core does not depend on them.
 */
export function dataSourceOptions(config: AppConfig, migrations: DataSourceOptions['migrations']) {
  const db = config.database;
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
        extra: { max: db.poolSize, connectionTimeoutMillis: 3000, query_timeout: 30000 },
      };
    case 'oracle':
      return {
        ...common,
        type: 'oracle' as const,
        username: db.oracle.user,
        password: db.oracle.password,
        connectString: db.oracle.connectString,
        poolSize: db.poolSize,
      };
    case 'sqlite':
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
