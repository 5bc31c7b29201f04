import { defineConfig } from 'vitest/config';

// Browser tests drive one Chromium against a real server: they run one file at a time,
// after everything else (groupOrder), so they do not compete with the unit tests for the CPU.
const E2E = 'test/e2e/**/*.e2e.test.ts';

// The projects do not extend the root config: global setup then runs once, for the root,
// and its PostgreSQL URL reaches both projects (extending would start a server per project).
const shared = { pool: 'forks', testTimeout: 20_000, hookTimeout: 60_000 } as const;

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['server/**/*.test.ts', 'main/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [E2E, '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: [E2E],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
