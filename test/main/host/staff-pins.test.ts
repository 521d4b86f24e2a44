// Main's PIN check (src-main/host/staff-pins.ts): the hashes come from HQ through the link, never through
// TerminalApi; right and wrong PINs, the per-person lockout, a new instance reading the same files (a main
// restart) still locked, unknown staff and a cashier offered as a manager, and the files at mode 0600.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { PinChecker, StaffPinFollower } from '../../../src-main/host/staff-pins.js';
import type { HqStreamMessage } from '../../../src-shared/ipc/index.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { hashPin } from '../../../src-shared/kernel/pin.js';
import { err, ok } from '../../../src-shared/kernel/result.js';
import type { StaffPin } from '../../../src-shared/sync/wire.js';

const root = mkdtempSync(join(tmpdir(), 'staff-pins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, `main-${(dirs += 1)}`);
const logger = pino({ level: 'silent' });
const T0 = Date.parse('2026-11-23T09:00:00.000Z');

const salt = new Uint8Array(16).fill(7);
const STAFF: StaffPin[] = [
  { id: 'camille', name: 'Camille D.', role: 'cashier', pinHash: hashPin('2468', { salt, N: 16 }) },
  { id: 'manon', name: 'Manon L.', role: 'manager', pinHash: hashPin('135790', { salt, N: 16 }) },
];

/** A link whose HQ answers `staff` (or is offline), and counts the fetches. */
function fakeLink(staff: StaffPin[] | 'offline') {
  const listeners = new Set<(message: HqStreamMessage) => void>();
  let fetches = 0;
  return {
    get fetches() {
      return fetches;
    },
    emit: (message: HqStreamMessage) => listeners.forEach((l) => l(message)),
    link: {
      hqStatus: async () => ({ enrolled: true }),
      staffPins: async () => {
        fetches += 1;
        return staff === 'offline' ? err({ code: 'offline' as const, message: 'HQ is down' }) : ok(staff);
      },
      onHqStream: (listener: (message: HqStreamMessage) => void) => {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    },
  };
}

/** Main's PIN side over `dir`, as compose.ts builds it. */
function mainPins(dir: string, staff: StaffPin[] | 'offline', clock: ManualClock) {
  const hq = fakeLink(staff);
  const follower = new StaffPinFollower({ link: hq.link, file: join(dir, 'staff-pins.json'), clock, logger });
  const checker = new PinChecker({ staff: follower, file: join(dir, 'pin-attempts.json'), clock, logger });
  return { hq, follower, checker };
}

const signIn = (staffId: string, pin: string) => ({ staffId, pin, purpose: 'sign-in' as const });

describe('checkPin in main', () => {
  it('lets the right PIN in with who it is, and counts wrong ones down', async () => {
    const clock = new ManualClock(T0);
    const { follower, checker } = mainPins(newDir(), STAFF, clock);
    await follower.refresh();
    expect(await checker.checkPin(signIn('camille', '2468'))).toEqual({
      ok: true,
      staff: { id: 'camille', name: 'Camille D.', role: 'cashier' },
    });
    expect(await checker.checkPin(signIn('camille', '0000'))).toEqual({
      ok: false,
      reason: 'wrong-pin',
      triesLeft: 4,
    });
    expect(await checker.checkPin(signIn('camille', '1111'))).toMatchObject({ triesLeft: 3 });
  });

  it('locks a person after five wrong PINs, refuses even the right one until the end, and not the others', async () => {
    const clock = new ManualClock(T0);
    const { follower, checker } = mainPins(newDir(), STAFF, clock);
    await follower.refresh();
    for (let i = 0; i < 4; i++) await checker.checkPin(signIn('camille', '0000'));
    const until = new Date(T0 + 30_000).toISOString();
    expect(await checker.checkPin(signIn('camille', '0000'))).toEqual({
      ok: false,
      reason: 'wrong-pin',
      triesLeft: 0,
      lockedUntil: until,
    });
    clock.advance(29_000);
    expect(await checker.checkPin(signIn('camille', '2468'))).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: until,
    });
    // Another person is not locked by it.
    expect(await checker.checkPin(signIn('manon', '135790'))).toMatchObject({ ok: true });
    clock.advance(1_000);
    expect(await checker.checkPin(signIn('camille', '2468'))).toMatchObject({ ok: true });
  });

  it('keeps the lockout across a restart: a new instance on the same files, with HQ unreachable', async () => {
    const dir = newDir();
    const clock = new ManualClock(T0);
    const first = mainPins(dir, STAFF, clock);
    await first.follower.refresh();
    for (let i = 0; i < 5; i++) await first.checker.checkPin(signIn('camille', '0000'));
    await first.checker.checkPin(signIn('manon', '000000'));

    clock.advance(10_000);
    const second = mainPins(dir, 'offline', clock);
    expect(await second.checker.checkPin(signIn('camille', '2468'))).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: new Date(T0 + 30_000).toISOString(),
    });
    // The count of another person survives too, and the hashes came from the file (HQ is down).
    expect(await second.checker.checkPin(signIn('manon', '000000'))).toMatchObject({ triesLeft: 3 });
    clock.advance(20_000);
    expect(await second.checker.checkPin(signIn('camille', '2468'))).toMatchObject({ ok: true });
    for (const file of ['staff-pins.json', 'pin-attempts.json'])
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'pin-attempts.json'), 'utf8')).not.toContain('2468');
  });

  it('answers unknown-staff for someone HQ did not send, and for a cashier offered as a manager', async () => {
    const clock = new ManualClock(T0);
    const { hq, follower, checker } = mainPins(newDir(), STAFF, clock);
    await follower.refresh();
    expect(await checker.checkPin(signIn('nobody', '1234'))).toEqual({ ok: false, reason: 'unknown-staff' });
    expect(await checker.checkPin({ staffId: 'camille', pin: '2468', purpose: 'manager' })).toEqual({
      ok: false,
      reason: 'unknown-staff',
    });
    expect(await checker.checkPin({ staffId: 'manon', pin: '135790', purpose: 'manager' })).toMatchObject({
      ok: true,
      staff: { role: 'manager' },
    });
    // An unknown id refreshes the list once, not on every try.
    const fetches = hq.fetches;
    await checker.checkPin(signIn('nobody', '1234'));
    await checker.checkPin(signIn('nobody', '1234'));
    expect(hq.fetches - fetches).toBeLessThanOrEqual(1);
    // None of these counted: Camille still has five tries.
    expect(await checker.checkPin(signIn('camille', '0000'))).toMatchObject({ triesLeft: 4 });
  });

  it('forgets a removed person at the next refresh, which the stream triggers', async () => {
    const clock = new ManualClock(T0);
    const dir = newDir();
    const staff = [...STAFF];
    const { hq, follower, checker } = mainPins(dir, staff, clock);
    follower.start();
    await follower.refresh();
    expect(await checker.checkPin(signIn('camille', '2468'))).toMatchObject({ ok: true });
    staff.splice(0, 1);
    hq.emit({ type: 'changed', collections: ['cashiers'] });
    await follower.refresh();
    await follower.stop();
    clock.advance(60_000);
    expect(await checker.checkPin(signIn('camille', '2468'))).toEqual({ ok: false, reason: 'unknown-staff' });
  });

  it('does not let two checks sent at once pass the gate on the same count', async () => {
    const clock = new ManualClock(T0);
    const { follower, checker } = mainPins(newDir(), STAFF, clock);
    await follower.refresh();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => checker.checkPin(signIn('camille', String(1000 + i)))),
    );
    expect(answers.filter((a) => !a.ok && a.reason === 'wrong-pin')).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.reason === 'locked')).toHaveLength(3);
  });
});
