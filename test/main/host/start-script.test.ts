// scripts/start.ts's decisions, without running it: options, when to rebuild, how Electron is found without
// loading it, and Chromium's command line.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chromiumArgs,
  DEFAULT_PORT,
  electronBinary,
  hasDisplay,
  isStale,
  logLine,
  parseStartArgs,
} from '../../../scripts/start.js';

const dir = mkdtempSync(join(tmpdir(), 'start-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('parses --no-open, --port, --browser and --kiosk, and refuses the rest', () => {
    expect(parseStartArgs([])).toEqual({
      ok: true,
      help: false,
      options: { open: true, port: DEFAULT_PORT, browser: false, kiosk: false },
    });
    expect(parseStartArgs(['--no-open', '--port', '9000'])).toMatchObject({
      ok: true,
      options: { open: false, port: 9000 },
    });
    expect(parseStartArgs(['--browser', '--kiosk'])).toMatchObject({
      options: { browser: true, kiosk: true },
    });
    expect(parseStartArgs(['--help'])).toMatchObject({ ok: true, help: true });
    for (const argv of [['--port', '0'], ['--port', 'x'], ['--port', '70000'], ['--what'], ['extra']]) {
      expect(parseStartArgs(argv), argv.join(' ')).toMatchObject({ ok: false });
    }
  });

  it('rebuilds when an output is missing or older than a source', () => {
    const source = join(dir, 'src');
    mkdirSync(join(source, 'deep'), { recursive: true });
    writeFileSync(join(source, 'deep', 'a.ts'), '');
    const output = join(dir, 'index.html');
    expect(isStale([output], [source])).toBe(true);
    writeFileSync(output, '');
    utimesSync(join(source, 'deep', 'a.ts'), new Date(1_000_000), new Date(1_000_000));
    utimesSync(output, new Date(2_000_000), new Date(2_000_000));
    expect(isStale([output], [source])).toBe(false);
    utimesSync(join(source, 'deep', 'a.ts'), new Date(3_000_000), new Date(3_000_000));
    expect(isStale([output], [source])).toBe(true);
  });

  it('finds the Electron binary from the package, or says there is none', () => {
    // Our machines install electron without its binary: no path.txt, or no file where it points.
    const found = electronBinary({});
    if (found !== null) expect(found).toMatch(/electron/);
    expect(electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') })).toBeNull();
  });

  it('opens Chromium as an app window with its own profile, sandboxed unless root', () => {
    const args = chromiumArgs('http://127.0.0.1:8788/', '/data/chromium', { kiosk: false, root: false });
    expect(args).toContain('--app=http://127.0.0.1:8788/');
    expect(args).toContain('--user-data-dir=/data/chromium');
    expect(args).not.toContain('--no-sandbox');
    expect(args).not.toContain('--kiosk');
    expect(args.some((a) => a.includes('headless'))).toBe(false);
    expect(chromiumArgs('u', 'p', { kiosk: true, root: true })).toEqual(
      expect.arrayContaining(['--kiosk', '--no-sandbox']),
    );
    expect(hasDisplay({})).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
  });

  it('prints log lines readably', () => {
    expect(
      logLine(
        JSON.stringify({
          level: 40,
          time: 1,
          pid: 2,
          hostname: 'h',
          name: 'devices',
          device: 'scanner-1',
          reason: 'unplugged',
          msg: 'disconnected',
        }),
      ),
    ).toBe('warn devices scanner-1: disconnected (reason=unplugged)');
    expect(logLine('not json\n')).toBe('not json');
  });
});
