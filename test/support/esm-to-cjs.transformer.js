/**
 * Jest transformer for the ESM-only packages (NestJS 12 and friends): Jest on Node 20 cannot require ESM,
 * so they are compiled to CommonJS with Babel. Their `createRequire(import.meta.url)` becomes Jest's own
 * `require`, so optional packages (class-validator...) load into the same module registry as the tests.
 */
const babelJest = require('babel-jest').default;

const babel = babelJest.createTransformer({
  babelrc: false,
  configFile: false,
  plugins: [
    'babel-plugin-transform-import-meta',
    '@babel/plugin-transform-dynamic-import',
    '@babel/plugin-transform-modules-commonjs',
  ],
});

const toCommonJs = (source) =>
  source
    .replace(/^\s*const require = createRequire\(import\.meta\.url\);\s*$/m, '')
    .replace(/createRequire\(import\.meta\.url\)/g, 'require');

module.exports = {
  ...babel,
  process(source, path, options) {
    return babel.process(toCommonJs(source), path, options);
  },
  getCacheKey(source, path, options) {
    return babel.getCacheKey(toCommonJs(source), path, options);
  },
};
