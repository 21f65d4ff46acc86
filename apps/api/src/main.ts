import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { closeSentry, initSentry, logLevelsUpTo, parseConfig } from '@fittrack/core';
import { AppModule } from './app.module';
import { initApp } from './init-app';

async function bootstrap(): Promise<void> {
  // Parsed here as well, so bad settings fail before anything starts and LOG_LEVEL covers boot logs.
  const settings = parseConfig(process.env);
  // Errors to Sentry when SENTRY_DSN is set (before Nest boots, so boot failures are reported too).
  initSentry(settings, 'api');
  // Boot logs wait for the JSON logger initApp installs (nestjs-pino), then go out through it.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: logLevelsUpTo(settings.logLevel),
    bufferLogs: true,
  });
  const config = await initApp(app);
  await app.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  const logger = new Logger('Bootstrap');
  logger.log(`FitTrack API listening on ${base} (database: ${config.database.type})`);
  logger.log(`API docs: ${base}/docs`);
  if (config.features.htmlTestPage) logger.log(`Test page: ${base}/test/`);
}

// Graceful stop: Nest's shutdown hooks stop accepting, let in-flight work finish and close the pools; if
// that hangs, exit anyway before the orchestrator's 30 s grace period ends in a SIGKILL.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(1), 25_000).unref();
    void closeSentry();
  });
}

bootstrap().catch((error: unknown) => {
  // Config errors list every bad variable; print them without a stack.
  console.error(error instanceof Error && error.name === 'ConfigError' ? error.message : error);
  process.exit(1);
});
