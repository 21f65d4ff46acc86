/**
 * One worker process of bench/sync: the built WorkerModule (as dist/apps/worker/src/main.js boots it) on
 * the queue prefix, database and fake Terra in the environment. Its cron ticks are stopped: the bench
 * runs the tick itself, once. Answers `timings` with SyncService's per-sync timings over IPC.
 */
const { join } = require('node:path');

const ROOT = join(__dirname, '../..');

async function main() {
  const { NestFactory } = require('@nestjs/core');
  const { SchedulerRegistry } = require('@nestjs/schedule');
  const { WorkerModule } = require(join(ROOT, 'dist/apps/worker/src/worker.module.js'));
  const { SyncService } = require(join(ROOT, 'dist/libs/trackers/src/index.js'));
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  for (const job of app.get(SchedulerRegistry).getCronJobs().values()) job.stop();
  const sync = app.get(SyncService);
  process.on('message', async (message) => {
    if (message === 'timings') process.send({ timings: sync.timings });
    if (message === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send('ready');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
