import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../tsconfig.json';
import './setup-env';

/** PostgreSQL suites share one database: rebuild its schema from the migrations once per run. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DB !== 'postgres') return;
  // Jest's module mapper does not apply to global setup; resolve the @fittrack/* aliases here.
  register({ baseUrl: join(__dirname, '..'), paths: compilerOptions.paths });
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after the alias registration above */
  const { DataSource } = require('typeorm') as typeof import('typeorm');
  const { MIGRATIONS } = require('../migrations') as typeof import('../migrations');
  const { dataSourceOptions, parseConfig } = require('@fittrack/core') as typeof import('@fittrack/core');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dataSource = new DataSource(dataSourceOptions(parseConfig(process.env), MIGRATIONS));
  await dataSource.initialize();
  try {
    await dataSource.dropDatabase();
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
