// A store's counter settings (idle timeouts, close time): defaults for every store, changed in part,
// refused outside the wire schema's bounds; through the admin API and CLI; and served to the store's own
// terminals (GET /v1/store-settings).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-hq/cli/run.js';
import {
  createStore,
  getStoreSettings,
  InvalidInputError,
  setStoreSettings,
  UnknownStoreError,
} from '../../../src-hq/store/stores.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { DEFAULT_STORE_SETTINGS, storeSettingsResponseSchema } from '../../../src-shared/sync/wire.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { apiHarness, STORE_ID } from '../api/harness.js';
import { uniq } from './helpers.js';

describe('store settings', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await pgliteDatabase();
  });
  afterAll(async () => t?.close());

  it('start at the defaults, change in part, and refuse values out of bounds', async () => {
    const id = uniq('galway');
    await createStore(t.db, { id, name: 'Galway', timeZone: 'Europe/Dublin' });
    expect(await getStoreSettings(t.db, id)).toEqual(DEFAULT_STORE_SETTINGS);
    expect(await setStoreSettings(t.db, id, { memberIdleSeconds: 45 })).toEqual({
      ...DEFAULT_STORE_SETTINGS,
      memberIdleSeconds: 45,
    });
    expect(await setStoreSettings(t.db, id, { locale: 'fr-FR' })).toEqual({
      ...DEFAULT_STORE_SETTINGS,
      memberIdleSeconds: 45,
      locale: 'fr-FR',
    });
    // A change that leaves the locale out keeps it (a default in the change schema would reset it).
    expect(await setStoreSettings(t.db, id, { signOutIdleMinutes: 5, closeAt: '22:00' })).toEqual({
      memberIdleSeconds: 45,
      signOutIdleMinutes: 5,
      closeAt: '22:00',
      locale: 'fr-FR',
    });
    for (const bad of [
      { memberIdleSeconds: 5 },
      { signOutIdleMinutes: 0 },
      { closeAt: '24:00' },
      { locale: 'de-DE' },
      { locale: 'french' },
    ])
      await expect(setStoreSettings(t.db, id, bad)).rejects.toThrow(InvalidInputError);
    expect(await getStoreSettings(t.db, id)).toMatchObject({ closeAt: '22:00', locale: 'fr-FR' });
    await expect(getStoreSettings(t.db, uniq('none'))).rejects.toThrow(UnknownStoreError);
    await expect(setStoreSettings(t.db, uniq('none'), { closeAt: '21:00' })).rejects.toThrow(
      UnknownStoreError,
    );
  });

  it('are set through the admin API and reach the store’s terminals', async () => {
    const h = await apiHarness(t.db);
    try {
      const url = `/v1/admin/stores/${STORE_ID}/settings`;
      const patched = await h.request({
        method: 'PATCH',
        url,
        token: h.adminToken,
        payload: { memberIdleSeconds: 60, closeAt: '21:45' },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toEqual({
        settings: { memberIdleSeconds: 60, signOutIdleMinutes: 15, closeAt: '21:45', locale: 'en-IE' },
      });
      const bad = await h.request({ method: 'PATCH', url, token: h.adminToken, payload: { closeAt: '9pm' } });
      expect(bad.statusCode).toBe(400);
      const unknown = await h.request({
        method: 'PATCH',
        url: '/v1/admin/stores/nowhere/settings',
        token: h.adminToken,
        payload: { closeAt: '21:00' },
      });
      expect(unknown.statusCode).toBe(404);
      expect((await h.request({ method: 'PATCH', url, payload: { closeAt: '21:00' } })).statusCode).toBe(401);

      expect((await h.request({ method: 'GET', url: '/v1/store-settings' })).statusCode).toBe(401);
      const { token } = await h.enroll('Till settings');
      const res = await h.request({ method: 'GET', url: '/v1/store-settings', token });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(storeSettingsResponseSchema.parse(res.json()).settings).toEqual({
        memberIdleSeconds: 60,
        signOutIdleMinutes: 15,
        closeAt: '21:45',
        locale: 'en-IE',
      });
    } finally {
      await h.close();
    }
  });

  it('are shown and set by `store settings`', async () => {
    const id = uniq('sligo');
    await createStore(t.db, { id, name: 'Sligo', timeZone: 'Europe/Dublin' });
    let stdout = '';
    let stderr = '';
    const cli = (argv: string[]) =>
      runCli(argv, {
        env: {},
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        clock: new ManualClock(0),
        db: t.db,
      });
    expect(await cli(['store', 'settings', id])).toBe(0);
    expect(stdout).toContain('member screen idle 90 s, sign-out idle 15 min, close at 23:30');
    stdout = '';
    expect(await cli(['store', 'settings', id, '--member-idle-seconds', '120', '--close-at', '22:15'])).toBe(
      0,
    );
    expect(stdout).toContain(
      `Changed store ${id}: member screen idle 120 s, sign-out idle 15 min, close at 22:15, locale en-IE`,
    );
    stdout = '';
    expect(await cli(['store', 'settings', id, '--locale', 'fr-BE'])).toBe(0);
    expect(stdout).toContain('close at 22:15, locale fr-BE');
    expect(await cli(['store', 'settings', id, '--locale', 'es-ES'])).not.toBe(0);
    expect(await cli(['store', 'settings', id, '--sign-out-idle-minutes', '0'])).not.toBe(0);
    expect(await cli(['store', 'settings', id, '--close-at', '25:00'])).not.toBe(0);
    expect(stderr).not.toBe('');
    expect(await getStoreSettings(t.db, id)).toEqual({
      memberIdleSeconds: 120,
      signOutIdleMinutes: 15,
      closeAt: '22:15',
      locale: 'fr-BE',
    });
  });
});
