import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DEFAULT_ADMIN_PASSWORD, logLevelsUpTo, parseConfig } from './app-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('parseConfig accepted the environment');
};

/** A production environment parseConfig accepts. */
const PRODUCTION = {
  NODE_ENV: 'production',
  ADMIN_PASSWORD: 'a-real-secret-password',
  JWT_PRIVATE_KEY: 'private',
  JWT_PUBLIC_KEY: 'public',
  TERRA_DEV_ID: 'dev',
  TERRA_API_KEY: 'key',
  TERRA_WEBHOOK_SECRET: 'whsec',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('parseConfig', () => {
  it('runs a fresh checkout on defaults: SQLite, port 8000, in-process queue, test page on', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      production: false,
      port: 8000,
      redisUrl: undefined,
      queuePrefix: 'fittrack',
      competitionTimeZone: 'America/New_York',
      excludedStates: ['NY', 'FL', 'RI'],
      features: { htmlTestPage: true, seedOnEmpty: true },
      database: { type: 'sqlite', sqlitePath: 'data/fittrack.sqlite', migrateOnBoot: true, poolSize: 10 },
      admin: { email: 'admin@fittrack.local', password: DEFAULT_ADMIN_PASSWORD },
    });
    expect(Object.isFrozen(config.database)).toBe(true);
  });

  it('bounds the pool wait and sheds load by default, except in test apps (ADR 0032)', () => {
    expect(parseConfig({ DB_POOL_SIZE: '8' })).toMatchObject({
      database: { poolWaitMs: 1000, poolMaxWaiting: 80 },
      overload: { eventLoopDelayMs: 150 },
    });
    expect(parseConfig({ NODE_ENV: 'test' })).toMatchObject({
      database: { poolWaitMs: 3000, poolMaxWaiting: 0 },
      overload: { eventLoopDelayMs: 0 },
    });
    expect(problemsOf({ DB_POOL_WAIT_MS: '0', OVERLOAD_EVENT_LOOP_DELAY_MS: '-1' })).toEqual([
      expect.stringContaining('DB_POOL_WAIT_MS must be an integer between 50 and 60000'),
      expect.stringContaining('OVERLOAD_EVENT_LOOP_DELAY_MS must be an integer between 0 and 10000'),
    ]);
  });

  it('collects every bad variable into one error instead of stopping at the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DB_TYPE: 'mysql',
      REDIS_URL: 'http://user:secret@cache:6379',
      COMPETITION_TZ: 'Mars/Olympus',
      FEATURE_HTML_TEST_PAGE: 'maybe',
      BCRYPT_COST: '40',
    });
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT'),
        expect.stringContaining('DB_TYPE must be one of sqlite, postgres, oracle'),
        expect.stringContaining('REDIS_URL'),
        expect.stringContaining('COMPETITION_TZ'),
        expect.stringContaining('FEATURE_HTML_TEST_PAGE'),
        expect.stringContaining('BCRYPT_COST must be an integer between 4 and 15'),
      ]),
    );
    // URLs carry credentials: the message names the variable, never its value.
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('the error message lists every problem on its own line', () => {
    expect(() => parseConfig({ PORT: '0', LOG_LEVEL: 'loud' })).toThrow(
      /Invalid configuration:\n {2}- PORT .*\n {2}- LOG_LEVEL /,
    );
  });

  it('LOG_LEVEL keeps its level and every more severe one', () => {
    expect(logLevelsUpTo('error')).toEqual(['fatal', 'error']);
    expect(logLevelsUpTo('log')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(logLevelsUpTo('verbose')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });

  it('requires the connection settings of the chosen database', () => {
    expect(problemsOf({ DB_TYPE: 'postgres' })).toEqual(['DATABASE_URL is required']);
    expect(problemsOf({ DB_TYPE: 'oracle' })).toEqual([
      'ORACLE_USER is required',
      'ORACLE_PASSWORD is required',
      'ORACLE_CONNECT_STRING is required',
    ]);
    const postgres = parseConfig({ DB_TYPE: 'postgres', DATABASE_URL: 'postgres://db/fittrack' });
    // Server databases are migrated by `npm run migration:run`, not at boot.
    expect(postgres.database.migrateOnBoot).toBe(false);
  });

  it('production refuses the development admin password and missing JWT keys', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      'TERRA_DEV_ID is required',
      'TERRA_API_KEY is required',
      'TERRA_WEBHOOK_SECRET is required',
      'ENCRYPTION_KEY is required',
      'ADMIN_PASSWORD must be changed from its development default in production',
      'JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are required in production',
    ]);
  });

  it('Terra: the fake by default outside production, refused in production; live needs its secrets', () => {
    expect(parseConfig({}).terra.mode).toBe('fake');
    expect(problemsOf({ TERRA_MODE: 'live' })).toEqual([
      'TERRA_DEV_ID is required',
      'TERRA_API_KEY is required',
      'TERRA_WEBHOOK_SECRET is required',
    ]);
    expect(problemsOf({ ...PRODUCTION, TERRA_MODE: 'fake' })).toEqual([
      'TERRA_MODE=fake is not allowed in production',
    ]);
    expect(problemsOf({ ENCRYPTION_KEY: 'c2hvcnQ=' })).toEqual([
      'ENCRYPTION_KEY must be 32 bytes, base64-encoded',
    ]);
    expect(parseConfig(PRODUCTION).terra).toMatchObject({ mode: 'live', webhookToleranceSeconds: 300 });
  });

  it('worker metrics port: off unless set; webhook retention must outlast any signature still accepted', () => {
    expect(parseConfig({}).workerMetricsPort).toBeUndefined();
    expect(parseConfig({ WORKER_METRICS_PORT: '9464' }).workerMetricsPort).toBe(9464);
    expect(problemsOf({ WORKER_METRICS_PORT: '0' })).toEqual([
      'WORKER_METRICS_PORT must be an integer between 1 and 65535 (got "0")',
    ]);
    expect(parseConfig({}).terra.webhookEventRetentionDays).toBe(30);
    expect(problemsOf({ WEBHOOK_EVENT_RETENTION_DAYS: '0' })).toEqual([
      'WEBHOOK_EVENT_RETENTION_DAYS must be an integer between 1 and 3650 (got "0")',
    ]);
    // 7 days of tolerance: a body received now verifies for up to 14 days, so 14 days of retention is too short.
    const week = String(7 * 86_400);
    expect(problemsOf({ TERRA_WEBHOOK_TOLERANCE_S: week, WEBHOOK_EVENT_RETENTION_DAYS: '14' })).toEqual([
      'WEBHOOK_EVENT_RETENTION_DAYS must be longer than twice TERRA_WEBHOOK_TOLERANCE_S',
    ]);
    const accepted = { TERRA_WEBHOOK_TOLERANCE_S: week, WEBHOOK_EVENT_RETENTION_DAYS: '15' };
    expect(parseConfig(accepted).terra.webhookEventRetentionDays).toBe(15);
  });

  it('production never serves the test page nor seeds, whatever the flags say', () => {
    const config = parseConfig({
      ...PRODUCTION,
      FEATURE_HTML_TEST_PAGE: 'true',
      SEED_ON_EMPTY: 'true',
    });
    expect(config.features).toMatchObject({ htmlTestPage: false, seedOnEmpty: false });
  });

  it('normalises lists, booleans and the admin email', () => {
    const config = parseConfig({
      SWEEPSTAKES_EXCLUDED_STATES: ' ny, fl ,',
      DB_LOG_QUERIES: 'YES',
      ADMIN_EMAIL: 'Boss@Example.COM',
      QUEUE_PREFIX: 'ci-run-1',
    });
    expect(config.excludedStates).toEqual(['NY', 'FL']);
    expect(config.database.logQueries).toBe(true);
    expect(config.admin.email).toBe('boss@example.com');
    expect(config.queuePrefix).toBe('ci-run-1');
  });
});

describe('.env.example', () => {
  it('documents every variable parseConfig reads', () => {
    const source = readFileSync(join(__dirname, 'app-config.ts'), 'utf8');
    const example = readFileSync(join(__dirname, '../../../../.env.example'), 'utf8');
    const read = [...source.matchAll(/read\.\w+\('([A-Z0-9_]+)'/g)].map((match) => match[1]);
    const documented = [...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(30);
    expect(read.filter((name) => !documented.includes(name))).toEqual([]);
  });
});
