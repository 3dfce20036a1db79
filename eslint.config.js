import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'test-artifacts/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', URLSearchParams: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', document: 'readonly', window: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no console, no clocks of its own.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // Types of activities are fine (proxyActivities<Activities>); values would drag I/O into the bundle.
            { group: ['../src/**', '../activities/**'], allowTypeImports: true, message: 'workflow code imports only types from src/ and activities/' },
            { group: ['pg', 'knex', 'hono', 'node:*', 'fs', 'crypto'], message: 'no I/O in workflow code' },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // A migration is frozen once released: its SQL lives in its own file, and it imports nothing that could change under it.
    files: ['migrations/2*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!knex$)', message: 'a migration imports only the knex types (copy what it needs into it)' },
            { regex: '^knex$', allowTypeImports: true, message: 'a migration imports only the knex types' },
          ],
        },
      ],
    },
  },
  {
    // Arrows run one way: activities/ uses src/, never the reverse; only the worker wires activities in.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/activities/**'], message: 'the sync I/O in activities/ is used by the worker only' }] },
      ],
    },
  },
  {
    // Browser modules (bundled by esbuild for the pages): the DOM only, and from the server its types.
    files: ['src/api/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              allowTypeImports: true,
              message: 'browser code takes values only from src/api/client/ (anything else would be bundled into the page); types from anywhere',
            },
          ],
        },
      ],
    },
  },
);
