/**
 * Runs an app entry point (`api`: apps/api/src/main.ts, `worker`: apps/worker/src/main.ts; the first argument) as its own
 * process, straight from the TypeScript sources: what `npm start` / `npm run start:worker` run once built,
 * without a build step (the Redis suite runs before CI builds, as for test/trackers/worker-process.js).
 * TypeScript is transpiled on require and `@fittrack/*` resolved through tsconfig paths; configuration
 * comes from the environment.
 */ require('../support/from-sources');

const ENTRIES = {
  api: () => require('../../apps/api/src/main.ts'),
  worker: () => require('../../apps/worker/src/main.ts'),
};
if (!ENTRIES[process.argv[2]]) throw new Error(`Usage: entry-process.js ${Object.keys(ENTRIES).join('|')}`);
ENTRIES[process.argv[2]]();
