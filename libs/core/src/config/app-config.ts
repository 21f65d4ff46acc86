import { Inject, type LogLevel } from '@nestjs/common';
import { ConfigType, registerAs } from '@nestjs/config';

export const DB_TYPES = ['sqlite', 'postgres', 'oracle'] as const;
export type DbType = (typeof DB_TYPES)[number];
export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const TERRA_MODES = ['fake', 'live'] as const;
const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const satisfies LogLevel[];

/** Nest's logger levels for LOG_LEVEL: fatal, then everything up to and including `level`. */
export function logLevelsUpTo(level: (typeof LOG_LEVELS)[number]): LogLevel[] {
  return ['fatal', ...LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1)];
}

/** The defaults a development checkout runs with; production refuses to start with the admin password. */
export const DEFAULT_ADMIN_EMAIL = 'admin@fittrack.local';
export const DEFAULT_ADMIN_PASSWORD = 'FitTrack-Admin-2026!';

/** drand quicknet, pinned as fair-draw.md publishes it. */
export const DRAND_QUICKNET = {
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  periodSeconds: 3,
  genesisTime: 1692803367,
  scheme: 'bls-unchained-g1-rfc9380',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads env variables, collecting every problem so one error lists them all. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  required(name: string, when: boolean): string | undefined {
    const value = this.string(name);
    if (when && value === undefined) this.problems.push(`${name} is required`);
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (!protocols.includes(url.protocol)) throw new Error();
    } catch {
      // Never echo the value: URLs carry credentials.
      this.problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    }
    return raw;
  }

  list(name: string, fallback: string): string[] {
    return this.string(name, fallback)
      .split(',')
      .map((item) => item.trim().toUpperCase())
      .filter(Boolean);
  }

  /** Lowercase hex of exactly `bytes` bytes. */
  hex(name: string, fallback: string, bytes: number): string {
    const value = this.string(name, fallback).toLowerCase();
    if (value.length !== bytes * 2 || !/^[0-9a-f]*$/.test(value)) {
      this.problems.push(`${name} must be ${bytes} bytes in hex`);
    }
    return value;
  }

  timeZone(name: string, fallback: string): string {
    const zone = this.string(name, fallback);
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      this.problems.push(`${name} must be an IANA time zone (got "${zone}")`);
    }
    return zone;
  }
}

/** Validates the environment once into a typed, frozen object. Throws ConfigError listing every bad variable. */
export function parseConfig(env: Env) {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';
  const dbType = read.oneOf('DB_TYPE', DB_TYPES, 'sqlite');
  const terraMode = read.oneOf('TERRA_MODE', TERRA_MODES, production ? 'live' : 'fake');
  const poolSize = read.int('DB_POOL_SIZE', 10, 1, 200);
  // Test apps share their event loop and pool with the test code driving them (seeding, concurrency
  // tests): there the overload limits (ADR 0032) are off by default and the pool wait is the old 3 s;
  // test/ops/overload sets them.
  const testing = nodeEnv === 'test';

  const config = {
    nodeEnv,
    production,
    port: read.int('PORT', 8000, 1, 65535),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    publicBaseUrl: read.string('APP_BASE_URL', 'http://localhost:8000'),
    corsOrigins: read.string('CORS_ORIGINS', 'http://localhost:8000,http://localhost:3000').split(','),
    features: {
      htmlTestPage: !production && read.bool('FEATURE_HTML_TEST_PAGE', true),
      seedOnEmpty: !production && read.bool('SEED_ON_EMPTY', true),
      /** Wall-clock cron ticks; e2e apps turn them off and call the ticks themselves. */
      schedulerTicks: read.bool('SCHEDULER_TICKS', true),
    },
    database: {
      type: dbType,
      sqlitePath: read.string('SQLITE_PATH', 'data/fittrack.sqlite'),
      url: read.required('DATABASE_URL', dbType === 'postgres'),
      oracle: {
        user: read.required('ORACLE_USER', dbType === 'oracle'),
        password: read.required('ORACLE_PASSWORD', dbType === 'oracle'),
        connectString: read.required('ORACLE_CONNECT_STRING', dbType === 'oracle'),
      },
      poolSize,
      /**
       * How long an API request waits for a pool connection before it is answered 503 + Retry-After (busy)
       * instead of queueing on (PostgreSQL, Oracle; SQLite has no pool). Jobs wait longer: see
       * data-source-options.ts.
       */
      poolWaitMs: read.int('DB_POOL_WAIT_MS', testing ? 3000 : 1000, 50, 60_000),
      /**
       * With this many API queries already waiting for a connection, new API requests are shed; 0 = no
       * bound. Default: what the pool serves within the 1 s wait at 100 ms a checkout (ADR 0032).
       */
      poolMaxWaiting: read.int('DB_POOL_MAX_WAITING', testing ? 0 : 10 * poolSize, 0, 100_000),
      migrateOnBoot: read.bool('DB_MIGRATE_ON_BOOT', dbType === 'sqlite'),
      logQueries: read.bool('DB_LOG_QUERIES', false),
    },
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    /** Bull key prefix: processes sharing a Redis see the same queues only with the same prefix. */
    queuePrefix: read.string('QUEUE_PREFIX', 'fittrack'),
    /** Bearer token GET /metrics requires; production without one does not serve /metrics at all. */
    metricsToken: read.string('METRICS_TOKEN'),
    /** The worker's own listener for GET /metrics and /health/live (it has no HTTP server otherwise); unset = off. */
    workerMetricsPort:
      read.string('WORKER_METRICS_PORT') === undefined
        ? undefined
        : read.int('WORKER_METRICS_PORT', 0, 1, 65_535),
    /** Express `trust proxy`: whose X-Forwarded-For to believe, so rate limits and logs see the real client. */
    trustProxy: trustProxySetting(read.string('TRUST_PROXY', 'loopback')),
    competitionTimeZone: read.timeZone('COMPETITION_TZ', 'America/New_York'),
    excludedStates: read.list('SWEEPSTAKES_EXCLUDED_STATES', 'NY,FL,RI'),
    /**
     * The drand beacon of fair-draw.md. Without BEACON_URL drawings have none. The chain is pinned here
     * (drand quicknet by default), never fetched and trusted: a round counts only if it verifies against it.
     */
    beacon: {
      url: read.url('BEACON_URL', ['https:', 'http:']),
      chainHash: read.hex('BEACON_CHAIN_HASH', DRAND_QUICKNET.chainHash, 32),
      publicKey: read.hex('BEACON_PUBLIC_KEY', DRAND_QUICKNET.publicKey, 96),
      periodSeconds: read.int('BEACON_PERIOD_S', DRAND_QUICKNET.periodSeconds, 1, 3600),
      genesisTime: read.int('BEACON_GENESIS_TIME', DRAND_QUICKNET.genesisTime, 0, 2 ** 40),
      scheme: read.string('BEACON_SCHEME', DRAND_QUICKNET.scheme),
      /** Per request to the beacon; a timeout is "not yet available", retried by the next tick. */
      timeoutMs: read.int('BEACON_TIMEOUT_MS', 5000, 100, 60_000),
    },
    /** Where a winner's claim link points; `{fulfillment_id}` is replaced (default: the test page's Drawings tab). */
    claimUrl: read.string('SWEEPSTAKES_CLAIM_URL', '/test/#drawings?fulfillment={fulfillment_id}'),
    /** A winner's prizes in a calendar year at or above this (USD) are reportable (1099-MISC) and need a W-9. */
    prizeReportingThresholdUsd: read.int('PRIZE_REPORTING_THRESHOLD_USD', 2000, 0, 1_000_000),
    /** The points engine's configurable limits (defaults: domain-rules.md, Points). */
    points: {
      revisionDays: read.int('POINTS_REVISION_DAYS', 7, 0, 365),
      /** When a record is held for review (points-rules PlausibilityThresholds). */
      plausibility: {
        maxStepsPerDay: read.int('POINTS_MAX_STEPS_PER_DAY', 60_000, 1, 10_000_000),
        maxStepsPerMinute: read.int('POINTS_MAX_STEPS_PER_MINUTE', 220, 1, 100_000),
        cadenceMinWorkoutMinutes: read.int('POINTS_CADENCE_MIN_WORKOUT_MINUTES', 10, 1, 1440),
        maxWorkoutMinutes: read.int('POINTS_MAX_WORKOUT_MINUTES', 720, 1, 10_080),
        maxActiveMinutesPerDay: read.int('POINTS_MAX_ACTIVE_MINUTES_PER_DAY', 960, 1, 1440),
      },
    },
    admin: {
      email: read.string('ADMIN_EMAIL', DEFAULT_ADMIN_EMAIL).toLowerCase(),
      password: read.string('ADMIN_PASSWORD', DEFAULT_ADMIN_PASSWORD),
    },
    auth: {
      jwtPrivateKey: read.string('JWT_PRIVATE_KEY'),
      jwtPublicKey: read.string('JWT_PUBLIC_KEY'),
      keyDir: read.string('JWT_KEY_DIR', 'data/keys'),
      accessTtlSeconds: read.int('JWT_ACCESS_TTL_SECONDS', 1800, 60, 86400),
      refreshTtlSeconds: read.int('JWT_REFRESH_TTL_SECONDS', 604800, 3600, 30 * 86400),
      bcryptCost: read.int('BCRYPT_COST', 12, 4, 15),
      authRateLimitPerMinute: read.int('AUTH_RATE_LIMIT_PER_MINUTE', 10, 1, 100000),
      rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 100, 1, 1000000),
    },
    email: {
      smtpUrl: read.url('SMTP_URL', ['smtp:', 'smtps:']),
      from: read.string('EMAIL_FROM', 'FitTrack <no-reply@fittrack.local>'),
      maxAttempts: read.int('EMAIL_MAX_ATTEMPTS', 5, 1, 20),
    },
    /** Fitness data through Terra (terra.md); `fake` runs the fake Terra in-process (never in production). */
    terra: {
      mode: terraMode,
      devId: read.required('TERRA_DEV_ID', terraMode === 'live'),
      apiKey: read.required('TERRA_API_KEY', terraMode === 'live'),
      webhookSecret: read.required('TERRA_WEBHOOK_SECRET', terraMode === 'live'),
      /** Terra's REST base; in fake mode the in-process fake's own address is used instead. */
      baseUrl: read.url('TERRA_BASE_URL', ['https:', 'http:']) ?? 'https://api.tryterra.co/v2',
      /** The widget session endpoint (the new one by default; the legacy `…/auth/generateWidgetSession` works too). */
      widgetUrl:
        read.url('TERRA_WIDGET_URL', ['https:', 'http:']) ?? 'https://access.tryterra.co/api/widget/session',
      timeoutMs: read.int('TERRA_TIMEOUT_MS', 10_000, 100, 120_000),
      webhookToleranceSeconds: read.int('TERRA_WEBHOOK_TOLERANCE_S', 300, 1, 7 * 86_400),
      /** Days a processed or ignored webhook event (its body hash) is kept; see WebhookRetentionHandler. */
      webhookEventRetentionDays: read.int('WEBHOOK_EVENT_RETENTION_DAYS', 30, 1, 3650),
      /** First retry delay of a failed sync (3 attempts, doubling). */
      syncBackoffMs: read.int('TERRA_SYNC_BACKOFF_MS', 2_000, 1, 3_600_000),
      /** Port of the in-process fake (fake mode); 0 picks a free one. */
      fakePort: read.int('TERRA_FAKE_PORT', 0, 0, 65_535),
      /** Where Terra's redirect lands after the callback: the app (default: the test page's Trackers tab). */
      appRedirectUrl: read.string('TRACKERS_APP_REDIRECT_URL'),
    },
    /** AES-256-GCM for provider data at rest; the key id is stored with each value so keys can rotate. */
    encryption: {
      key: read.required('ENCRYPTION_KEY', production),
      keyId: read.string('ENCRYPTION_KEY_ID', 'k1'),
      /** Older keys still needed to read values written before a rotation: `id:base64key,…`. */
      previousKeys: read.string('ENCRYPTION_PREVIOUS_KEYS', ''),
    },
    /**
     * Errors to Sentry (libs/core/src/sentry): unset SENTRY_DSN = off, the SDK never loaded. Events carry
     * the environment (NODE_ENV) and the release: GIT_SHA when the build sets it, else the package version.
     */
    sentry: {
      dsn: read.url('SENTRY_DSN', ['https:', 'http:']),
      gitSha: read.string('GIT_SHA'),
    },
    /**
     * Load shedding (libs/core/src/http/overload.ts): while the event loop's mean delay over the last
     * half second exceeds this, new /api/v1 requests are answered 503 + Retry-After before any work. 0 = off.
     */
    overload: {
      eventLoopDelayMs: read.int('OVERLOAD_EVENT_LOOP_DELAY_MS', testing ? 0 : 150, 0, 10_000),
    },
    leaderboards: {
      /** How long a board may be served from the cache; every change to it invalidates it at once anyway. */
      cacheTtlSeconds: read.int('LEADERBOARD_CACHE_TTL_S', 300, 1, 300),
    },
  };

  if (config.encryption.key !== undefined && Buffer.from(config.encryption.key, 'base64').length !== 32) {
    read.problems.push('ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  }
  // A stored body hash is the replay defence until the signature's age alone refuses the delivery: a body
  // accepted at r carries a timestamp t <= r + tolerance (either way is accepted), so it verifies again
  // only until t + tolerance <= r + 2 × tolerance. Deleting its row any later cannot let a replay in.
  if (config.terra.webhookEventRetentionDays * 86_400 <= 2 * config.terra.webhookToleranceSeconds) {
    read.problems.push('WEBHOOK_EVENT_RETENTION_DAYS must be longer than twice TERRA_WEBHOOK_TOLERANCE_S');
  }
  if (config.sentry.gitSha !== undefined && !/^[0-9a-f]{7,40}$/i.test(config.sentry.gitSha)) {
    read.problems.push('GIT_SHA must be a commit hash (7 to 40 hex digits)');
  }
  if (production) {
    if (config.admin.password === DEFAULT_ADMIN_PASSWORD) {
      read.problems.push('ADMIN_PASSWORD must be changed from its development default in production');
    }
    if (config.terra.mode === 'fake') read.problems.push('TERRA_MODE=fake is not allowed in production');
    if (!config.auth.jwtPrivateKey || !config.auth.jwtPublicKey) {
      read.problems.push('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are required in production');
    }
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(config);
}

/** TRUST_PROXY: true/false, a hop count, or addresses/subnets/names (`loopback, 10.0.0.0/8`) as Express takes them. */
function trustProxySetting(raw: string): boolean | number | string {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}

export const appConfig = registerAs('app', () => parseConfig(process.env));
export type AppConfig = ConfigType<typeof appConfig>;
/** Injects the validated, typed configuration. */
export const InjectConfig = () => Inject(appConfig.KEY);
