import { defineConfig } from 'vitest/config';

// snarkjs and circom leave worker threads behind; the forks pool isolates them per file.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
