import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file runs in its own process: a local stack sets process-wide SDK endpoints.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    setupFiles: ['test/setup.ts'],
  },
});
