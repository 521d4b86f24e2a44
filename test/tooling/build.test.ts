// `npm run build` must produce the three Electron targets, with a CommonJS preload (a sandboxed preload
// cannot load ES modules), a CSP in the page, and no HQ-only package in the kiosk bundles.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const out = (...p: string[]) => resolve(root, 'out', ...p);

describe('electron-vite build', () => {
  beforeAll(() => {
    execFileSync(
      process.execPath,
      [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        stdio: 'pipe',
      },
    );
  }, 120_000);

  it('emits main, a CommonJS preload and the renderer page', () => {
    expect(existsSync(out('main/index.js'))).toBe(true);
    const preloads = readdirSync(out('preload')).filter((f) => f.endsWith('.cjs'));
    expect(preloads).toContain('index.cjs');
    const preload = readFileSync(out('preload/index.cjs'), 'utf8');
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(existsSync(out('renderer/index.html'))).toBe(true);
  });

  it('ships a strict CSP in the page', () => {
    const html = readFileSync(out('renderer/index.html'), 'utf8');
    const csp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('keeps HQ server packages out of the kiosk bundles', () => {
    const main = readFileSync(out('main/index.js'), 'utf8');
    for (const pkg of ['pg', 'fastify', '@electric-sql/pglite']) expect(main).not.toContain(`from "${pkg}"`);
  });
});
