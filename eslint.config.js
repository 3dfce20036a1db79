import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/**
 * The allowed arrows: what each part of the project may import of the project's own code (packages are
 * not concerned). A part is a folder, or a file at the root of src/ or activities/. An import of a part
 * not on its row fails lint (import-x/no-restricted-paths), and so does a circle of value imports
 * (import-x/no-cycle). Type imports count as arrows too. The rows form no circle: each lists only parts
 * below it, but for workflows/, whose contract (workflows/contract.ts) is at the bottom of everything
 * and whose workflow code sees the activities it calls as types only.
 */
const allowedImports = {
  // --- src/: the foundations, which import nothing of the project (or only each other, downward)
  'src/ids.ts': [], // workflow and schedule ids: the one place they are built
  'src/errors.ts': [], // the read models' domain errors (NotFoundError, InvalidInputError), mapped to HTTP by src/api
  'src/project-root.ts': [], // where .data/ and .tools/ are
  'src/crypto': [], // the token cipher
  'src/simulator': [], // the offline Spotify: stands alone, as the real one would
  'src/config': ['src/project-root.ts'], // the environment, read once
  'src/db': ['migrations', 'workflows'], // Postgres connection, migrations runner, row types (contract names)
  'src/spotify': ['workflows'], // the Spotify clients and their errors; knows nothing of accounts, the API or Temporal
  'src/temporal': ['src/config', 'src/ids.ts', 'src/project-root.ts', 'workflows'], // connections, binaries, and workflow-control (every workflow's start)
  'src/household': ['src/db'], // the household: sessions, personal tokens, invitations, who may join, the security log
  'src/quota': ['src/db'], // a Spotify app's quota window: what a 429 teaches, when the wall is, what is left (pure rules), and its row (app-quota-store)
  'src/notify': ['src/config', 'src/db'], // notifications: the events' words, sending to ntfy/JSON/Apprise targets, the outbox and delivery log
  // --- src/: the read models (Postgres only) and the account lifecycle
  'src/versions': [], // the time machine's playlist versions: how entries are stored as changes, and the one query that reads a version
  'src/library': ['src/db', 'src/errors.ts', 'src/versions'], // the library's read model: never src/api (it throws domain errors)
  'src/restores': ['src/db', 'src/errors.ts', 'src/household', 'src/temporal', 'src/versions'], // the time machine's restores: the plan from the mirror, the scopes check, the start (Idempotency-Key)
  'src/export': ['src/db', 'src/errors.ts', 'src/library'], // backups and CSV/JSON exports (a collection's CSV reads its rows with the filter of its page)
  'src/accounts': ['src/config', 'src/crypto', 'src/db', 'src/ids.ts', 'src/quota', 'src/spotify', 'src/temporal', 'workflows'], // connect, reset, login rules, the account's workflows
  'src/status': ['src/accounts', 'src/db', 'src/errors.ts', 'src/ids.ts', 'src/quota', 'workflows'], // the status read model (declares its output types; src/api checks against them)
  'src/history-import': ['src/db', 'src/errors.ts', 'src/ids.ts', 'src/temporal', 'workflows'], // reading a data export and starting its import
  // --- src/: the processes that wire the parts together
  'src/worker': ['activities/index.ts', 'src/config', 'src/crypto', 'src/db', 'src/ids.ts', 'src/project-root.ts', 'src/spotify', 'src/temporal', 'workflows'], // the only part of src/ that sees activities/
  'src/api': [
    // the HTTP API and the pages: may read the read models, never the reverse
    ...['src/accounts', 'src/config', 'src/crypto', 'src/db', 'src/errors.ts', 'src/export', 'src/history-import', 'src/ids.ts'],
    ...['src/library', 'src/project-root.ts', 'src/spotify', 'src/status', 'src/temporal', 'workflows'],
    ...['src/household', 'src/notify', 'src/restores', 'src/versions'],
  ],
  'src/dev': [
    // npm run dev: Postgres, a Temporal dev server, the simulator, the worker and the API in one process
    ...['src/accounts', 'src/api', 'src/config', 'src/crypto', 'src/db', 'src/history-import', 'src/ids.ts', 'src/project-root.ts', 'src/simulator'],
    ...['src/temporal', 'src/worker', 'workflows'],
  ],
  'src/commands': [
    // the CLI's commands: anything in src/ but the entry points
    ...['src/accounts', 'src/api', 'src/config', 'src/crypto', 'src/db', 'src/dev', 'src/errors.ts', 'src/export', 'src/history-import'],
    ...['src/ids.ts', 'src/library', 'src/project-root.ts', 'src/simulator', 'src/spotify', 'src/status', 'src/temporal', 'src/worker', 'workflows'],
    ...['src/household', 'src/notify', 'src/restores', 'src/versions'],
  ],
  'src/bin': [
    // the entry points (main, the build's bundlers)
    ...['src/accounts', 'src/api', 'src/commands', 'src/config', 'src/crypto', 'src/db', 'src/dev', 'src/errors.ts', 'src/export'],
    ...['src/history-import', 'src/ids.ts', 'src/library', 'src/project-root.ts', 'src/simulator', 'src/spotify', 'src/status', 'src/temporal'],
    ...['src/worker', 'workflows'],
  ],
  // --- workflows/ and activities/: the worker's side
  workflows: ['activities/index.ts'], // the contract, and deterministic code taking only types of the activities (the workflow rule below)
  'activities/store': ['src/config', 'src/crypto', 'src/db', 'src/ids.ts', 'src/quota', 'src/spotify', 'src/versions', 'workflows'], // the SQL of the activities (and the token store, which decrypts)
  'activities/shared': ['activities/store', 'src/accounts', 'src/config', 'src/crypto', 'src/db', 'src/ids.ts', 'src/quota', 'src/spotify', 'workflows'], // what several features use
  'activities/sync': ['activities/shared', 'activities/store', 'src/accounts', 'src/config', 'src/crypto', 'src/db', 'src/ids.ts', 'src/spotify', 'workflows'],
  'activities/playback': ['activities/shared', 'activities/store', 'src/accounts', 'src/config', 'src/crypto', 'src/db', 'src/ids.ts', 'src/spotify', 'workflows'],
  'activities/history-import': [
    ...['activities/shared', 'activities/store', 'src/accounts', 'src/config', 'src/crypto', 'src/db', 'src/history-import', 'src/ids.ts'],
    ...['src/spotify', 'workflows'],
  ],
  'activities/index.ts': [
    // the worker's one entry
    ...['activities/history-import', 'activities/playback', 'activities/shared', 'activities/store', 'activities/sync', 'src/config', 'src/db', 'workflows'],
    ...['activities/notify', 'activities/restore'],
  ],
  'activities/restore': ['activities/shared', 'activities/store', 'src/accounts', 'src/config', 'src/db', 'src/spotify', 'src/versions', 'workflows'], // the restore's step: writes checkpointed one by one, read back, verified
  'activities/notify': ['activities/shared', 'activities/store', 'src/accounts', 'src/config', 'src/db', 'src/notify', 'workflows'], // the notify activity and the periodic notification check
  migrations: [], // knex migrations: plain schema changes
  // --- the tooling around the product: it may use the product, never the reverse
  testkit: ['activities', 'migrations', 'src', 'workflows'], // shared by tests and benchmarks (never compiled into dist/)
  test: ['activities', 'migrations', 'src', 'testkit', 'workflows'],
  bench: ['activities', 'migrations', 'src', 'testkit', 'workflows'],
};

/** Known wrong arrows, each to go: part -> the part it may still reach, and the files there it may import. None today. */
const knownWrongArrows = {};

/** Every part must have a row: a new folder (or root file) of src/ or activities/ stops lint here until it is placed. */
function checkEveryPartHasARow() {
  const parts = ['src', 'activities'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory() || /\.tsx?$/.test(e.name))
      .map((e) => `${dir}/${e.name}`),
  );
  const missing = parts.filter((part) => !(part in allowedImports));
  if (missing.length > 0) throw new Error(`eslint.config.js: no row in allowedImports for ${missing.join(', ')}: say what it may import`);
}
checkEveryPartHasARow();

/** The table as import-x/no-restricted-paths zones: each part's target, and the parts it may not import. */
const partsOf = (name) => (allowedImports[name] ? [name] : []).concat(Object.keys(allowedImports).filter((p) => p.startsWith(`${name}/`)));
const arrowZones = Object.entries(allowedImports).flatMap(([part, allowed]) => {
  const reachable = new Set([part, ...allowed.flatMap(partsOf), ...allowed]);
  const known = knownWrongArrows[part] ?? {};
  const forbidden = Object.keys(allowedImports).filter((other) => !reachable.has(other) && !part.startsWith(`${other}/`) && !other.startsWith(`${part}/`));
  const message = `${part} may import only ${allowed.length > 0 ? allowed.join(', ') : 'nothing of this project'} (the allowed arrows, eslint.config.js)`;
  return [
    { target: part, from: forbidden.filter((other) => !(other in known)), message },
    ...Object.entries(known).map(([other, files]) => ({ target: part, from: other, except: files, message })),
  ].filter((zone) => zone.from.length > 0);
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'test-artifacts/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        URLSearchParams: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The allowed arrows (the table above) and no circles, in all the project's TypeScript.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: arrowZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
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
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/activities/**'], message: 'the sync I/O in activities/ is used by the worker only' }] }],
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
