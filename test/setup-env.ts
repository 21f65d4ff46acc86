/**
 * Test environment, applied before any module loads (entity decorators read DB_TYPE at import).
 * TEST_DB=postgres runs the same suites against PostgreSQL (DATABASE_URL, default the local `test` db).
 */
process.env.NODE_ENV = 'test';
process.env.BCRYPT_COST ??= '4';
process.env.SEED_ON_EMPTY = 'false';
// No wall-clock cron in test apps: a tick would act on the moved test clock in the middle of a test.
// Tests call SchedulerTicks' methods themselves.
process.env.SCHEDULER_TICKS = 'false';
process.env.LOG_LEVEL ??= 'warn';
// Suites log in many times from one IP; the rate-limit test lowers this again before it boots.
process.env.AUTH_RATE_LIMIT_PER_MINUTE ??= '10000';
// Likewise the global per-user / per-IP limit; test/ops/hardening lowers it for its own app.
process.env.RATE_LIMIT_PER_MINUTE ??= '1000000';
if (process.env.TEST_DB === 'postgres') {
  process.env.DB_TYPE = 'postgres';
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  // The global setup migrated the shared database once.
  process.env.DB_MIGRATE_ON_BOOT = 'false';
} else {
  process.env.DB_TYPE = 'sqlite';
  process.env.SQLITE_PATH = ':memory:';
  process.env.DB_MIGRATE_ON_BOOT = 'true';
}
