import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AppConfig,
  appConfig,
  closeSentry,
  initSentry,
  logLevelsUpTo,
  parseConfig,
} from '@fittrack/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/**
 * Services mode: consumes the Bull queues on REDIS_URL; with WORKER_METRICS_PORT it also serves /metrics
 * and /health/live (MetricsServer). SIGTERM/SIGINT close the context, which stops taking new jobs, lets
 * running ones finish (Bull's close waits for them), releases the database pool and closes the listener last.
 */
async function bootstrap(): Promise<void> {
  // Validate first: without Redis there is nothing to consume (the API runs jobs in-process).
  const settings = parseConfig(process.env);
  if (!settings.redisUrl) {
    throw new Error('REDIS_URL is required: without Redis the API runs every job in-process');
  }
  // Failed job attempts to Sentry when SENTRY_DSN is set.
  initSentry(settings, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: logLevelsUpTo(settings.logLevel),
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const config = app.get<AppConfig>(appConfig.KEY);
  new Logger('Worker').log(`FitTrack worker consuming Bull queues (database: ${config.database.type})`);
}

// Graceful stop: Nest's shutdown hooks stop accepting, let in-flight work finish and close the pools; if
// that hangs, exit anyway before the orchestrator's 60 s grace period ends in a SIGKILL.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 55_000).unref();
    void closeSentry();
  });
}

bootstrap().catch((error: unknown) => {
  // Config errors list every bad variable; print them without a stack.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
