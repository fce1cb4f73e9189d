import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit tests that set the environment and then import a handler module, as a fresh Lambda
 * container would: its clients, settings, logger and metrics are built at import from what
 * they find. Without isolation a module is evaluated once per worker, for the first file
 * that imports it, so these need their own module graph.
 */
const FRESH_MODULES = [
  'test/unit/api/create-request.test.ts',
  'test/unit/activation/ses-feedback.test.ts',
  'test/unit/adapters/activation-secret.test.ts',
  'test/unit/observability/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The handlers' level, as Lambda passes it (functions/shared/logger.ts). Every level:
    // nothing reaches the output unless a test fails (test/setup.ts).
    env: { AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'true' },
    setupFiles: ['test/setup.ts'],
    // Console output of a passing test is dropped; test/setup.ts does the same for the lines
    // handlers write to stdout and stderr themselves.
    silent: 'passed-only',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...FRESH_MODULES],
          // Pure functions and mocked SDK clients: files share workers and their modules.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'unit-fresh-modules', include: FRESH_MODULES, pool: 'threads' },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**'],
          // Each file in its own process: a local stack sets process-wide SDK endpoints.
          pool: 'forks',
        },
      },
    ],
  },
});
