// One Vitest project per source folder, so `vitest --project shared` runs one layer's tests.
import { defineConfig } from 'vitest/config';

const project = (name: string, environment: 'node' = 'node') => ({
  test: { name, environment, include: [`test/${name}/**/*.test.ts`, `test/${name}/**/*.test.tsx`] },
});

export default defineConfig({
  test: {
    projects: [project('shared'), project('main'), project('renderer'), project('hq'), project('tooling')],
  },
});
