import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit tests that set the environment and then import a handler module, as a fresh Lambda
 * container would: its clients, settings, logger and metrics are built at import from what
 * they find. Without isolation a module is evaluated once per worker, for the first file
 * that imports it, so these need their own module graph.
 */
const FRESH_MODULES = [
  'test/unit/api/create-request.test.ts',
  'test/unit/api/webhook-endpoints.test.ts',
  'test/unit/api/api-keys.test.ts',
  'test/unit/activation/ses-feedback.test.ts',
  'test/unit/events/forget-expired.test.ts',
  'test/unit/adapters/activation-secret.test.ts',
  'test/unit/observability/*.test.ts',
];

/** Infra tests that set the environment and import handler modules. */
const OWN_PROCESS_INFRA = ['test/infra/catalog.test.ts'];

/** Runs after test/setup.ts (projects add to the root's setupFiles): removes synth output. */
const INFRA_SETUP = 'test/infra/support/setup.ts';

/**
 * Files that race real timers (expiry windows across a restart of `npm start`, an activation
 * 300 ms before the timer): each runs after the others, alone on the machine's cores.
 */
const RUN_ALONE = [
  'test/integration/restarts.test.ts',
  'test/integration/customer-expiry.test.ts',
  'test/integration/reminders.test.ts',
];

export default defineConfig({
  test: {
    // One file per core. The default (cores - 1) runs one file at a time on a 2-core machine;
    // a third worker was no faster there (the cores are busy with two).
    maxWorkers: '100%',
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
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...OWN_PROCESS_INFRA],
          setupFiles: [INFRA_SETUP],
          // They synthesize the app and read the templates: sharing workers loads aws-cdk-lib
          // (most of a first synth, ~5 s) once per worker instead of once per file.
          pool: 'forks',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**', 'test/infra/**', ...RUN_ALONE],
          // Each file in its own process: a local stack sets process-wide SDK endpoints.
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'infra-own-process',
          include: OWN_PROCESS_INFRA,
          setupFiles: [INFRA_SETUP],
          pool: 'forks',
        },
      },
      ...RUN_ALONE.map((file, index) => ({
        extends: true,
        test: {
          name: `alone: ${file}`,
          include: [file],
          pool: 'forks',
          // After every other project and one another: nothing else competes for the CPU.
          sequence: { groupOrder: index + 1 },
          // restarts.test.ts one case at a time: booting several `npm start` processes at once
          // on two cores made a restart outlast an 8 s expiry window. The in-process files'
          // cases only wait on timers, side by side.
          maxConcurrency: file === 'test/integration/restarts.test.ts' ? 1 : 5,
        },
      })),
    ],
  },
});
