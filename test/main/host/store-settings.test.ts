// Main follows its store's counter settings: fetched at start and on RESYNC, kept in a file so a till
// that starts offline uses them, a damaged file ignored; and handed to the renderer with hqStatus.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreSettingsFollower } from '../../../src-main/host/store-settings.js';
import type { HqResult, HqStreamMessage } from '../../../src-shared/ipc/hq-api.js';
import { ok } from '../../../src-shared/kernel/result.js';
import type { StoreSettings } from '../../../src-shared/sync/wire.js';
import { DEFAULT_LOCALE } from '../../../src-shared/kernel/locale.js';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeLink(initial: StoreSettings | null) {
  const state = { settings: initial, calls: 0 };
  const listeners = new Set<(m: HqStreamMessage) => void>();
  const link = {
    hqStatus: () => Promise.resolve({ enrolled: true }),
    storeSettings: (): Promise<HqResult<StoreSettings>> => {
      state.calls += 1;
      return Promise.resolve(
        state.settings
          ? ok(state.settings)
          : { ok: false, error: { code: 'offline', message: 'HQ is not reachable' } },
      );
    },
    onHqStream: (listener: (m: HqStreamMessage) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const send = (m: HqStreamMessage) => listeners.forEach((l) => l(m));
  return { link, state, send };
}

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'store-settings-'));
  dirs.push(d);
  return join(d, 'store-settings.json');
};

describe('StoreSettingsFollower', () => {
  it('fetches at start and on RESYNC, and keeps the last known in its file for an offline start', async () => {
    const file = tmp();
    const hq = fakeLink({ memberIdleSeconds: 60, signOutIdleMinutes: 10, closeAt: '22:00', locale: 'fr-FR' });
    const follower = new StoreSettingsFollower({ link: hq.link, file, logger });
    expect(follower.current()).toBeNull();
    follower.start();
    await follower.refresh();
    expect(follower.current()).toEqual({
      memberIdleSeconds: 60,
      signOutIdleMinutes: 10,
      closeAt: '22:00',
      locale: 'fr-FR',
    });

    hq.state.settings = { memberIdleSeconds: 30, signOutIdleMinutes: 10, closeAt: '22:00', locale: 'fr-FR' };
    hq.send({ type: 'changed', collections: ['members'] });
    await follower.refresh();
    const calls = hq.state.calls;
    hq.send({ type: 'RESYNC' });
    await follower.refresh();
    expect(hq.state.calls).toBeGreaterThan(calls);
    expect(follower.current()?.memberIdleSeconds).toBe(30);
    await follower.stop();

    // HQ out of reach: a new start uses what the file kept.
    const offline = new StoreSettingsFollower({ link: fakeLink(null).link, file, logger });
    offline.start();
    await offline.refresh();
    expect(offline.current()?.memberIdleSeconds).toBe(30);
    expect(offline.current()?.locale).toBe('fr-FR');
    await offline.stop();
  });

  it('reads a file an older till kept, before settings had a locale, at the default locale', () => {
    const file = tmp();
    writeFileSync(
      file,
      JSON.stringify({ settings: { memberIdleSeconds: 60, signOutIdleMinutes: 10, closeAt: '22:00' } }),
    );
    const follower = new StoreSettingsFollower({ link: fakeLink(null).link, file, logger });
    expect(follower.current()).toEqual({
      memberIdleSeconds: 60,
      signOutIdleMinutes: 10,
      closeAt: '22:00',
      locale: DEFAULT_LOCALE,
    });
  });

  it('ignores a damaged file', () => {
    const file = tmp();
    writeFileSync(file, '{"settings":{"memberIdleSeconds":1}}');
    expect(new StoreSettingsFollower({ link: fakeLink(null).link, file, logger }).current()).toBeNull();
    writeFileSync(file, 'not json');
    expect(new StoreSettingsFollower({ link: fakeLink(null).link, file, logger }).current()).toBeNull();
  });
});
