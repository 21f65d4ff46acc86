/**
 * Lets a plain Node process require the TypeScript sources, as the built app would run them: `.ts` is
 * transpiled on require and `@fittrack/*` resolved through tsconfig paths. For tests that start real
 * processes without a build step (the Redis suite runs before CI builds). Require it first.
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
