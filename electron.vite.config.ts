// Builds the three Electron targets into out/: main (ESM), the sandboxed preloads (CommonJS, as a
// sandboxed preload cannot load ES modules: the cashier's, and the customer display's) and the React
// renderer, two pages: the cashier's (index.html) and the customer display (customer/index.html).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can only require('electron'); bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/preload/index.ts'),
          customer: resolve(import.meta.dirname, 'src-main/preload/customer.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-renderer/index.html'),
          customer: resolve(import.meta.dirname, 'src-renderer/customer/index.html'),
        },
      },
    },
  },
});
