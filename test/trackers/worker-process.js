/**
 * A worker process booted from the TypeScript sources, for tests that must kill a real process (kill -9)
 * in the middle of a job: the same WorkerModule as apps/worker/src/main.ts, without a build step (the Redis
 * suite runs before CI builds). TypeScript is transpiled on require and `@fittrack/*` resolved through
 * tsconfig paths. Configuration comes from the environment, as for the real worker. Tells its parent
 * `ready` over IPC once it consumes the queues.
 */
require('../support/from-sources');

async function main() {
  const { NestFactory } = require('@nestjs/core');
  const { WorkerModule } = require('../../apps/worker/src/worker.module.ts');
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  process.send?.('ready');
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
