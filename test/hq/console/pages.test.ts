// HQ serving the built console under /console/: the files of a build (a fixture folder), the router's
// fallback to index.html, caching (hashed assets immutable, the page revalidated), the CSP and other
// security headers on every answer, and a 503 that says how to build when there is no build (HQ still runs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, consolePages } from '../../../src-hq/api/console/pages.js';
import { createErrorHandler, notFoundHandler } from '../../../src-hq/api/errors.js';
import { pgliteDatabase } from '../../support/databases.js';

const INDEX =
  '<!doctype html><title>Loyalty HQ</title><script type="module" src="/console/assets/main-a1b2.js"></script>';
const SCRIPT = 'console.log("console");';

function pagesApp(dir: string): FastifyInstance {
  const app = Fastify({ logger: false });
  app.setErrorHandler(createErrorHandler({ onDatabaseUnavailable: () => undefined }));
  app.setNotFoundHandler(notFoundHandler);
  consolePages(app, { dir });
  return app;
}

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-security-policy']).toBe(CONSOLE_CSP);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
}

describe('the console pages of a build', () => {
  let root: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'console-pages-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'main-a1b2.js'), SCRIPT);
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(root, '..', 'secret.txt'), 'outside the build');
    app = pagesApp(root);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(join(root, '..', 'secret.txt'), { force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('redirects /console to /console/', async () => {
    const res = await app.inject('/console');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/console/');
  });

  it('answers index.html for / and for every page path, revalidated, with the CSP', async () => {
    for (const url of ['/console/', '/console/users', '/console/members/0190-abc', '/console/a/b/c?x=1']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expectSecurityHeaders(res.headers);
    }
  });

  it('serves hashed assets immutable for a year, other files revalidated', async () => {
    const script = await app.inject('/console/assets/main-a1b2.js');
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe(SCRIPT);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(script.headers);

    const icon = await app.inject('/console/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');

    const index = await app.inject('/console/index.html');
    expect(index.body).toBe(INDEX);
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing file with a 404, not the page (a broken script tag must not load HTML)', async () => {
    const res = await app.inject('/console/assets/gone-ffff.js');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not-found' });
    expectSecurityHeaders(res.headers);
  });

  it('never serves a file outside the build', async () => {
    for (const url of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
      '/console//etc/passwd.txt',
    ]) {
      const res = await app.inject(url);
      expect(res.body, url).not.toContain('outside the build');
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
    }
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/console/users' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expectSecurityHeaders(res.headers);
  });
});

describe('the console pages without a build', () => {
  it('answer a 503 page saying how to build, then serve the build as soon as it appears', async () => {
    const root = mkdtempSync(join(tmpdir(), 'console-unbuilt-'));
    const app = pagesApp(join(root, 'console'));
    try {
      const res = await app.inject('/console/');
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('npm run build:console');
      expectSecurityHeaders(res.headers);

      mkdirSync(join(root, 'console'));
      writeFileSync(join(root, 'console', 'index.html'), INDEX);
      const built = await app.inject('/console/dashboard');
      expect(built.statusCode).toBe(200);
      expect(built.body).toBe(INDEX);
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('HQ serves the console beside its API', () => {
  it('answers /console/ with the console headers and keeps the API and its 404s as they were', async () => {
    // Imported here: the whole API comes with it, which the tests above do not need.
    const { buildServer } = await import('../../../src-hq/api/server.js');
    const t = await pgliteDatabase();
    const app = buildServer({ db: t.db, logger: false });
    try {
      const page = await app.inject('/console/');
      // Built or not (200 or 503), the page is the console's, with its CSP.
      expect([200, 503]).toContain(page.statusCode);
      expectSecurityHeaders(page.headers);
      const health = await app.inject('/v1/health');
      expect(health.statusCode).toBe(200);
      expect(health.headers['content-security-policy']).toBeUndefined();
      const unknown = await app.inject('/nowhere');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: 'not-found' });
    } finally {
      await app.close();
      await t.close();
    }
  });
});
