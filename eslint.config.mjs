// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import security from 'eslint-plugin-security';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'apps/api/public/**', 'bench/**/*.js'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  // Static security lint (unsafe or dynamic regexes, eval, child_process, timing-unsafe comparisons, ...),
  // as errors. Off: object-injection (flags every obj[key]; TypeScript types the keys) and
  // non-literal-fs-filename (our paths come from validated config; docs/security.md lists them).
  security.configs.recommended,
  {
    rules: {
      ...Object.fromEntries(Object.keys(security.rules).map((rule) => [`security/${rule}`, 'error'])),
      'security/detect-object-injection': 'off',
      'security/detect-non-literal-fs-filename': 'off',
    },
  },
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'apps/cli/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests, benches and CI scripts build regexes from fixtures and parse SQL text: not attack surface.
    files: ['test/**/*.ts', 'bench/**', '.ci/**', '**/*.spec.ts'],
    rules: Object.fromEntries(Object.keys(security.rules).map((rule) => [`security/${rule}`, 'off'])),
  },
);
