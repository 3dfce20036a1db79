import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two tiers. `unit` (test/unit/): the pure parts and the clients against a scripted HTTP server,
 * with no Postgres, no Temporal and no Chromium, in seconds (`npm run test:unit`). `integration`
 * (the rest of test/): real Postgres, Temporal and Chromium, started once by the global setup.
 * `npm test` runs both.
 */
export default defineConfig({
  test: {
    // The Temporal native bridge breaks under worker threads.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**'],
          globalSetup: ['test/setup/global-setup.ts'],
          setupFiles: ['test/setup/temporal-logs.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
