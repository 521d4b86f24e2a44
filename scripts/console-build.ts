// Builds the back-office console (vite.console.config.ts) into out/console when it is missing or older than
// its sources (src-console, src-shared, the config, package.json), the way scripts/start.ts rebuilds the
// renderer. Into a fresh folder first, then moved into place, so a failed build leaves the previous one
// untouched and HQ, which serves the folder, never sees half a build. Concurrent callers in one process
// share one build; parallel processes (test workers) each build, and the last one's build stays.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { InlineConfig } from 'vite';
import { isStale } from './start.js';

const ROOT = resolve(import.meta.dirname, '..');
export const CONSOLE_OUT = join(ROOT, 'out', 'console');
const CONSOLE_SOURCES = ['src-console', 'src-shared', 'vite.console.config.ts', 'package.json'].map((p) =>
  join(ROOT, p),
);

export const consoleIsStale = (outDir = CONSOLE_OUT): boolean =>
  isStale([join(outDir, 'index.html')], CONSOLE_SOURCES);

/** Builds the console into `outDir` (always). */
export async function buildConsole(outDir = CONSOLE_OUT): Promise<void> {
  const [{ build }, config] = await Promise.all([
    import('vite'),
    import('../vite.console.config.js').then((m) => m.default as InlineConfig),
  ]);
  const staging = `${outDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await build({
      ...config,
      configFile: false,
      logLevel: 'warn',
      mode: 'production',
      build: { ...config.build, outDir: staging, emptyOutDir: true, reportCompressedSize: false },
    });
    // The old build moves aside and the new one in: two renames, so an HQ serving the folder is without
    // a build for microseconds, not for the time a delete takes.
    const old = `${outDir}.old-${process.pid}`;
    mkdirSync(dirname(outDir), { recursive: true });
    rmSync(old, { recursive: true, force: true });
    if (existsSync(outDir)) renameSync(outDir, old);
    try {
      renameSync(staging, outDir);
    } catch (error) {
      // Another process (a parallel test worker) put its build there first: as fresh as ours, keep it.
      if (!existsSync(join(outDir, 'index.html'))) throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

let building: Promise<string> | null = null;

/** out/console, built first when missing or stale. */
export function ensureConsoleBuilt(outDir = CONSOLE_OUT): Promise<string> {
  building ??= (async () => {
    if (consoleIsStale(outDir)) await buildConsole(outDir);
    return outDir;
  })().finally(() => {
    building = null;
  });
  return building;
}
