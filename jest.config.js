/** Jest projects: `unit` (specs beside the code), `e2e` (real app over HTTP; SQLite in-memory,
 * or PostgreSQL with TEST_DB=postgres), `redis` (Bull on real Redis), `browser` (headless Chromium),
 * `oracle` (every query through TypeORM's Oracle dialect, checked without a server). */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

/** NestJS 12 and a few of its dependencies ship ESM only; Jest on Node 20 cannot require ESM, so those
 * packages are transpiled to CommonJS (once, then cached). The built app loads them natively. */
const ESM_PACKAGES = [
  '@nestjs',
  '@keyv',
  'keyv',
  'cache-manager',
  'file-type',
  '@faker-js',
  'hookified',
  'strtok3',
  'token-types',
  'peek-readable',
  'uint8array-extras',
  '@tokenizer',
  // The PL/SQL grammar of the Oracle dialect check (test/oracle).
  'dt-sql-parser',
  'antlr4-c3',
];

const shared = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  transformIgnorePatterns: [`node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};

module.exports = {
  // `npm run test:coverage`: per-layer thresholds are checked by test/support/check-coverage.js.
  collectCoverageFrom: [
    '{apps,libs}/**/*.ts',
    'migrations/**/*.ts',
    '!**/*.spec.ts',
    // Process entry points: the CI smoke boot runs them, as built, outside Jest.
    '!apps/*/src/main.ts',
    '!apps/api/src/openapi.ts',
  ],
  coverageReporters: ['html', 'json-summary', 'text-summary'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/service-timeouts.ts'],
    },
    {
      ...shared,
      displayName: 'redis',
      testMatch: ['<rootDir>/test/**/*.redis-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/service-timeouts.ts'],
    },
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/**/*.browser-spec.ts'] },
    {
      // The Oracle dialect tour (docs/oracle.md): DB_TYPE=oracle before entities load, no database server.
      ...shared,
      displayName: 'oracle',
      testMatch: ['<rootDir>/test/oracle/**/*.oracle-spec.ts'],
      setupFiles: ['<rootDir>/test/oracle/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/service-timeouts.ts'],
    },
  ],
};
