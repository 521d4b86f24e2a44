// The wrong-PIN lockout: five wrong PINs lock the keypad for 30 seconds; a right PIN resets the count.
import { describe, expect, it } from 'vitest';
import { checkPin, MAX_PIN_FAILURES, PIN_LOCK_MS, PinGuard } from '../../../src-renderer/hooks/pin-guard.js';

const verify = (pin: string, hash: string) => pin === hash;

describe('PinGuard', () => {
  it('locks for 30 s after 5 wrong PINs, then lets PINs through again', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const guard = new PinGuard();
    for (let i = 1; i < MAX_PIN_FAILURES; i++) {
      const r = await checkPin(guard, verify, '0000', '1234', clock);
      expect(r).toEqual({ ok: false, reason: 'wrong', remaining: MAX_PIN_FAILURES - i, lockedMs: 0 });
    }
    const fifth = await checkPin(guard, verify, '0000', '1234', clock);
    expect(fifth).toMatchObject({ ok: false, reason: 'wrong', lockedMs: PIN_LOCK_MS });
    // Locked: even the right PIN is not checked.
    expect(await checkPin(guard, verify, '1234', '1234', clock)).toEqual({
      ok: false,
      reason: 'locked',
      lockedMs: PIN_LOCK_MS,
    });
    now += PIN_LOCK_MS - 1;
    expect(guard.lockedFor(now)).toBe(1);
    now += 1;
    expect(await checkPin(guard, verify, '1234', '1234', clock)).toEqual({ ok: true });
  });

  it('resets the count on a right PIN', async () => {
    const guard = new PinGuard(3, 10_000);
    const clock = () => 0;
    await checkPin(guard, verify, '1', '2', clock);
    await checkPin(guard, verify, '1', '2', clock);
    await checkPin(guard, verify, '2', '2', clock);
    expect(guard.remaining).toBe(3);
  });
});
