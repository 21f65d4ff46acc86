/**
 * The Oracle dialect tour's environment, applied before any module loads: entity decorators and
 * migrations read DB_TYPE at import time. No Oracle server is contacted: the DataSource is handed the
 * recording stand-in (test/oracle/oracledb-stand-in.ts) instead of `oracledb`.
 */
process.env.NODE_ENV = 'test';
process.env.DB_TYPE = 'oracle';
process.env.ORACLE_USER = 'fittrack';
process.env.ORACLE_PASSWORD = 'stand-in';
process.env.ORACLE_CONNECT_STRING = 'stand-in:1521/FREEPDB1';
process.env.DB_MIGRATE_ON_BOOT = 'false';
process.env.SEED_ON_EMPTY = 'false';
process.env.BCRYPT_COST = '4';
process.env.LOG_LEVEL = 'warn';
delete process.env.REDIS_URL;
