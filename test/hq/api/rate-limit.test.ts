// Sign-in and enrollment are rate limited (per address, and sign-in per username too) with HQ's error body,
// 429 and Retry-After; the window runs on HQ's clock, so it is passed by moving the clock. Terminals' own
// routes are not limited. The counters are in memory, so one database is enough.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { createConsoleUser } from '../../../src-hq/store/console/users.js';
import { clockStore, DEFAULT_RATE_LIMITS } from '../../../src-hq/api/rate-limit.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { TEST_PASSWORD } from '../console/session.js';
import { apiHarness, type Harness } from './harness.js';

const WINDOW_MS = DEFAULT_RATE_LIMITS.signInPerIp.windowMs;

describe('rate limits', () => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await pgliteDatabase();
    // Enrollment at 10 a minute here (its default is 30: a store's tills share one address).
    h = await apiHarness(t.db, { rateLimits: { enrollPerIp: { max: 10, windowMs: WINDOW_MS } } });
    await createConsoleUser(
      h.db,
      { username: 'ada', name: 'Ada', role: 'admin', password: TEST_PASSWORD },
      h.clock,
    );
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const signIn = (ip: string, username: string, password = 'not the password') =>
    h.app.inject({
      method: 'POST',
      url: CONSOLE_API.signIn.path,
      remoteAddress: ip,
      payload: { username, password },
    });

  const enroll = (ip: string) =>
    h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      remoteAddress: ip,
      payload: { code: 'ABCD-EFGH', name: 'Till' },
    });

  it('refuses the 11th sign-in from one address with 429, Retry-After and the error body; another address is not refused', async () => {
    for (let i = 1; i <= 10; i += 1) expect((await signIn('10.0.0.1', `user${i}`)).statusCode).toBe(401);
    const refused = await signIn('10.0.0.1', 'user11');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(60);
    expect(refused.json()).toEqual({
      error: 'rate-limited',
      message: expect.stringMatching(/sign-in attempts from this address/),
    });
    // The right password does not get through either while the window lasts.
    expect((await signIn('10.0.0.1', 'ada', TEST_PASSWORD)).statusCode).toBe(429);

    expect((await signIn('10.0.0.2', 'user1')).statusCode).toBe(401);

    h.clock.advance(WINDOW_MS / 2);
    const later = await signIn('10.0.0.1', 'user12');
    expect(later.statusCode).toBe(429);
    expect(Number(later.headers['retry-after'])).toBe(30);

    h.clock.advance(WINDOW_MS / 2);
    expect((await signIn('10.0.0.1', 'ada', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses the 11th sign-in for one username whatever the address; another username is not refused', async () => {
    h.clock.advance(WINDOW_MS);
    for (let i = 1; i <= 10; i += 1) expect((await signIn(`10.1.0.${i}`, 'ada')).statusCode).toBe(401);
    // The username is compared as sign-in compares it: trimmed, lower-case.
    const refused = await signIn('10.1.0.11', ' ADA ', TEST_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json<{ message: string }>().message).toMatch(/for this username/);

    expect((await signIn('10.1.0.12', 'bob')).statusCode).toBe(401);

    h.clock.advance(WINDOW_MS);
    expect((await signIn('10.1.0.13', 'ada', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses the 11th enrollment from one address; another address, and the same after the window, are not refused', async () => {
    for (let i = 1; i <= 10; i += 1) expect((await enroll('10.2.0.1')).statusCode).toBe(403);
    const refused = await enroll('10.2.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json()).toEqual({
      error: 'rate-limited',
      message: expect.stringMatching(/enrollment attempts/),
    });

    expect((await enroll('10.2.0.2')).statusCode).toBe(403);
    h.clock.advance(WINDOW_MS);
    expect((await enroll('10.2.0.1')).statusCode).toBe(403);
  });

  it('does not limit the routes terminals call all day', async () => {
    for (let i = 0; i < 30; i += 1) {
      const health = await h.request({ method: 'GET', url: '/v1/health', remoteAddress: '10.3.0.1' });
      expect(health.statusCode).toBe(200);
    }
  });

  it('takes its limits from the API config', async () => {
    const small = await apiHarness(t.db, { rateLimits: { enrollPerIp: { max: 2, windowMs: 1_000 } } });
    try {
      const attempt = () =>
        small.request({
          method: 'POST',
          url: '/v1/terminals/enroll',
          remoteAddress: '10.4.0.1',
          payload: {},
        });
      expect((await attempt()).statusCode).toBe(400);
      expect((await attempt()).statusCode).toBe(400);
      expect((await attempt()).statusCode).toBe(429);
      small.clock.advance(1_000);
      expect((await attempt()).statusCode).toBe(400);
    } finally {
      await small.close();
    }
  });
});

describe('the clock store', () => {
  it('keeps at most its capacity of keys, dropping the oldest windows first', () => {
    const clock = new ManualClock(0);
    const Store = clockStore(clock, 2);
    const store = new Store({});
    const count = (key: string): number => {
      let current = 0;
      store.incr(key, (_error, result) => void (current = result?.current ?? 0), 60_000, 10);
      return current;
    };
    expect(count('a')).toBe(1);
    clock.advance(1);
    expect(count('b')).toBe(1);
    expect(count('a')).toBe(2);
    clock.advance(1);
    // A third key: the oldest window ('a', started first) goes.
    expect(count('c')).toBe(1);
    expect(count('b')).toBe(2);
    expect(count('a')).toBe(1);
  });
});
