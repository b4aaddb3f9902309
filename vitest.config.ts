import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration and e2e tests start an in-process local AWS endpoint each; two cores here.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
