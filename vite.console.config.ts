// Builds the back-office console (src-console, React) into out/console, served by HQ under /console/
// (src-hq/api/console/pages.ts). `npm run build:console`, or scripts/console-build.ts's ensureConsoleBuilt.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export const CONSOLE_ROOT = resolve(import.meta.dirname, 'src-console');
export const CONSOLE_OUT = resolve(import.meta.dirname, 'out', 'console');

export default defineConfig({
  root: CONSOLE_ROOT,
  base: '/console/',
  plugins: [react()],
  // HQ's CSP allows scripts and styles from 'self' only: nothing inline, no eval.
  build: {
    outDir: CONSOLE_OUT,
    emptyOutDir: true,
    assetsDir: 'assets',
    // Charts (recharts) are big; one bundle for an admin console on a LAN is fine.
    chunkSizeWarningLimit: 2_000,
  },
});
