// `npm run build:console` (buildConsole): the console's page under /console/ with only external scripts and
// styles (HQ's CSP allows nothing inline), every file it names present, no Node or HQ code in the bundle;
// and the build counts as fresh until a source changes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, consoleIsStale } from '../../scripts/console-build.js';

describe('the console build', () => {
  let parent: string;
  let out: string;
  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'console-build-'));
    out = join(parent, 'console');
    await buildConsole(out);
  }, 120_000);
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('writes index.html whose scripts and styles are files under /console/assets/', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/src="\/console\/assets\/[^"]+\.js"/);
      expect(body).toBe(''); // nothing inline: script-src 'self'
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    for (const [, path] of html.matchAll(/(?:src|href)="\/console\/([^"]+)"/g))
      expect(existsSync(join(out, path as string)), path).toBe(true);
  });

  it('bundles no server code', () => {
    const assets = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    const code = assets.map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    for (const server of ['fastify', 'node:fs', 'pg-protocol', '@electric-sql'])
      expect(code).not.toContain(server);
  });

  it('is fresh once built, stale when missing', () => {
    expect(consoleIsStale(out)).toBe(false);
    expect(consoleIsStale(join(parent, 'nowhere'))).toBe(true);
  });
});
