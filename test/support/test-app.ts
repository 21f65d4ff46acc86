import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { Clock, ManualClock, QueuePort } from '@fittrack/core';
import { AppModule } from '../../apps/api/src/app.module';
import { initApp } from '../../apps/api/src/init-app';
import { assertLedgersConsistent } from './ledger-invariant';

export interface TestApp {
  app: NestExpressApplication;
  http: () => ReturnType<typeof request>;
  clock: ManualClock;
  /** Waits until every queued job has run. */
  drainJobs: () => Promise<void>;
  /** Checks every user's ledger (see assertLedgersConsistent), then closes the app. */
  close: () => Promise<void>;
}

/**
 * Boots the real app (SQLite in-memory, or PostgreSQL with TEST_DB=postgres) with a clock tests can move
 * (running in real time from `now` until a test freezes it).
 * `customize` may override further providers.
 */
export async function createTestApp(
  options: { now?: Date | string; customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder } = {},
): Promise<TestApp> {
  const clock = new ManualClock(new Date(options.now ?? Date.now()), true);
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue(clock);
  if (options.customize) builder = options.customize(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error', 'warn'] });
  await initApp(app);
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    clock,
    drainJobs: () => app.get(QueuePort).drain(),
    close: async () => {
      try {
        await assertLedgersConsistent(app);
      } finally {
        await app.close();
      }
    },
  };
}

/** Runs `run` (an app boot reads the environment) with some variables set, then restores them. */
export async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** What production refuses to start without: its own JWT key pair and admin password. */
export function productionEnv(): Record<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    NODE_ENV: 'production',
    ADMIN_PASSWORD: `Prod-${randomUUID()}!A1`,
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    // Terra live (production refuses the fake); nothing calls it at boot.
    TERRA_MODE: 'live',
    TERRA_DEV_ID: 'prod-dev-id',
    TERRA_API_KEY: `terra-${randomUUID()}`,
    TERRA_WEBHOOK_SECRET: `whsec-${randomUUID()}`,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
}
