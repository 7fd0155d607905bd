import { defineConfig } from 'vitest/config';

// Three projects so a developer can run the fast unit tests alone (`npm run test:unit`).
// Timeouts only catch a hang: a busy machine (CI beside other jobs) must not fail a test for being slow,
// so even the unit tests (property tests run 1,000 cases) get far more than they take.
// The infra and integration files share their worker's modules (isolate: false): a worker that has
// loaded aws-cdk-lib and synthesised once synthesises again in about a second, where a fresh one pays
// some 7 s of CPU per file (infra synths, the workflow tests' state machine). Each file builds its own
// App, simulator and local environment, and resets what it sets; they pass shuffled too
// (--sequence.shuffle.files). The unit tests keep their isolation: they mock modules and clients.
export default defineConfig({
  test: {
    setupFiles: ['test/setup-env.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 60_000, isolate: false } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, isolate: false } },
    ],
  },
});
