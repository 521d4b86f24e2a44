// One Vitest project per source folder, so `vitest --project shared` runs one layer's tests.
// Projects that start databases, browsers or serial ptys get longer time limits: CI machines are shared
// and a PGlite start or a Chromium launch can take seconds under load (limits bound a hang; they are not
// timings under test).
import { defineConfig } from 'vitest/config';

const project = (
  name: string,
  limits: { testTimeout?: number; hookTimeout?: number; globalSetup?: string[] } = {},
) => ({
  test: {
    name,
    environment: 'node' as const,
    include: [`test/${name}/**/*.test.ts`, `test/${name}/**/*.test.tsx`],
    ...limits,
  },
});

const slow = { testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    projects: [
      project('shared', { testTimeout: 30_000 }),
      project('main', slow),
      project('renderer', slow),
      // HQ serves the built console: its route tests (the fuzz of every route) need the build too.
      project('hq', { ...slow, globalSetup: ['test/support/console-global-setup.ts'] }),
      project('tooling', slow),
      // The back-office console is built once (when stale) before the browser tests open it.
      project('e2e', { ...slow, globalSetup: ['test/support/console-global-setup.ts'] }),
      // Real PostgreSQL, HQ as a child process killed and restarted: minutes, not seconds.
      project('chaos', { testTimeout: 600_000, hookTimeout: 120_000 }),
    ],
  },
});
