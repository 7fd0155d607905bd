import { defineConfig } from 'vitest/config';

// Three projects so a developer can run the fast unit tests alone (`npm run test:unit`).
export default defineConfig({
  test: {
    setupFiles: ['test/setup-env.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 60_000 } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
