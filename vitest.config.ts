import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'libs/*/src/**/*.test.ts', 'libs/*/test/**/*.test.ts', 'test/e2e/**/*.test.ts', 'infra/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: OCR-heavy files run one at a time rather than fighting for CPU.
    maxWorkers: 2,
  },
});
