import { defineConfig } from 'vitest/config';

// One suite, two databases: PGlite by default; set TEST_DATABASE_URL (postgres://…) to run the same tests
// against PostgreSQL (each test file gets its own database cloned from a migrated template).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : undefined,
  },
});
