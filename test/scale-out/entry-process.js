/**
 * Runs an app entry point (`api`: apps/api/src/main.ts, `worker`: apps/worker/src/main.ts; the first argument) as its own
 * process, straight from the TypeScript sources: what `npm start` / `npm run start:worker` run once built,
 * without a build step (the Redis suite runs before CI builds, as for test/trackers/worker-process.js).
 * TypeScript is transpiled on require and `@fittrack/*` resolved through tsconfig paths; configuration
 * comes from the environment.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');
const { register } = require('tsconfig-paths');

const ROOT = join(__dirname, '../..');
const COMPILER_OPTIONS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  resolveJsonModule: true,
  sourceMap: false,
};

require.extensions['.ts'] = (module, filename) => {
  const source = readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: COMPILER_OPTIONS,
    fileName: filename,
  });
  module._compile(outputText, filename);
};
register({ baseUrl: ROOT, paths: require(join(ROOT, 'tsconfig.json')).compilerOptions.paths });

const ENTRIES = {
  api: () => require('../../apps/api/src/main.ts'),
  worker: () => require('../../apps/worker/src/main.ts'),
};
if (!ENTRIES[process.argv[2]]) throw new Error(`Usage: entry-process.js ${Object.keys(ENTRIES).join('|')}`);
ENTRIES[process.argv[2]]();
