// The socat cable the device tests unplug and plug back: its links must only ever name a live pty of the
// pair. socat's own `link=` option removed a link only after closing its pty, and a device reconnecting in
// between could open whatever pty the kernel handed out next under that number (CI saw "connected" to a
// cable nobody wrote, twice). Needs socat (fails, never skips, when it is missing).
import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSocatPair } from '../../scripts/socat.js';

/** The link itself, dangling or not (existsSync follows it, and a freed pty reads as absent). */
const linked = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socat-pair-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createSocatPair', () => {
  it('links the two names to the ptys socat reported', async () => {
    const pair = await createSocatPair(dir, { names: ['terminal', 'scanner'] });
    try {
      expect(pair.ptys[0]).toMatch(/^\/dev\/pts\/\d+$/);
      expect(readlinkSync(pair.a)).toBe(pair.ptys[0]);
      expect(readlinkSync(pair.b)).toBe(pair.ptys[1]);
      expect(existsSync(pair.ptys[0])).toBe(true);
    } finally {
      await pair.kill();
    }
  });

  it('removes both links before socat lets go of its ptys, so no link outlives its pty', async () => {
    const pair = await createSocatPair(dir);
    const killed = pair.kill();
    // Synchronously after kill(): socat has at most been signalled, its ptys may still be open.
    expect(linked(pair.a) || linked(pair.b)).toBe(false);
    await killed;
    expect(linked(pair.a) || linked(pair.b)).toBe(false);
  });

  it('removes the links when socat dies on its own', async () => {
    const pair = await createSocatPair(dir);
    const gone = new Promise((resolve) => pair.process.once('close', resolve));
    process.kill(pair.process.pid ?? 0, 'SIGKILL'); // no cleanup of socat's own
    await gone;
    await pair.kill();
    expect(linked(pair.a) || linked(pair.b)).toBe(false);
  });

  it('plugs a new pair in at the same names', async () => {
    const first = await createSocatPair(dir);
    await first.kill();
    const second = await createSocatPair(dir);
    try {
      expect(readlinkSync(second.a)).toBe(second.ptys[0]);
    } finally {
      await second.kill();
    }
  });
});
