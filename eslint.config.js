// ESLint (flat config, ESLint 9): `npm run lint`.
// typescript-eslint's `recommended` set (syntax-only, no type information: the whole run stays a few
// seconds on 2 cores) plus ESLint's own recommended rules. No stylistic rules: prettier owns formatting.
// Unused variables and imports are errors; a parameter, caught error or destructured element whose name
// starts with `_` is deliberately unused.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unused = [
  'error',
  {
    args: 'after-used',
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrors: 'all',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
    ignoreRestSiblings: true,
  },
];

export default defineConfig([
  globalIgnores(['dist/', '.dist-*/', 'dist-test/', 'node_modules/', 'bench/results/', 'docs/']),
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.{js,mjs}', 'examples/**/*.{ts,js,mjs}', '*.{js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': unused,
    },
  },
  // The browser demo and the browser benchmark run in a page and in Web Workers.
  {
    files: ['examples/browser/**/*.js', 'examples/browser-bench/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  // CommonJS config files (.dependency-cruiser.cjs).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
]);
