import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import { idleAction, IdleWatch } from '../../../src-renderer/hooks/idle-watch.js';

const settings = { memberIdleSeconds: 90, signOutIdleMinutes: 15 };

function watch(screen: { inUse: boolean }) {
  const clock = new ManualClock(Date.parse('2026-03-07T10:00:00Z'));
  const timers = new ManualTimers(clock);
  const done: string[] = [];
  const w = new IdleWatch({
    clock,
    timers,
    settings: () => settings,
    screenInUse: () => screen.inUse,
    onClearMember: () => {
      done.push('clear-member');
      screen.inUse = false;
    },
    onSignOut: () => done.push('sign-out'),
  });
  /** Moves the clock on in one-second steps, firing the checks as the page's timers would. */
  const pass = (ms: number) => {
    for (let t = 0; t < ms; t += 1_000) {
      clock.advance(1_000);
      timers.fireDue();
    }
  };
  return { w, clock, timers, done, pass };
}

describe('idle timeouts', () => {
  it('idleAction: the member screen after N s, sign-out after M min, sign-out first', () => {
    expect(idleAction(89_999, true, settings)).toBe('none');
    expect(idleAction(90_000, true, settings)).toBe('clear-member');
    expect(idleAction(90_000, false, settings)).toBe('none');
    expect(idleAction(15 * 60_000, true, settings)).toBe('sign-out');
    expect(idleAction(15 * 60_000, false, settings)).toBe('sign-out');
  });

  it('clears a member screen after 90 s without input, not before', () => {
    const { w, done, pass } = watch({ inUse: true });
    w.start();
    pass(89_000);
    expect(done).toEqual([]);
    pass(1_000);
    expect(done).toEqual(['clear-member']);
  });

  it('counts from the last input', () => {
    const { w, done, pass } = watch({ inUse: true });
    w.start();
    pass(60_000);
    w.input();
    pass(60_000);
    expect(done).toEqual([]);
    pass(30_000);
    expect(done).toEqual(['clear-member']);
  });

  it('signs the cashier out after 15 min without input, once', () => {
    const { w, done, pass } = watch({ inUse: true });
    w.start();
    pass(15 * 60_000);
    expect(done).toEqual(['clear-member', 'sign-out']);
    pass(60_000);
    expect(done).toEqual(['clear-member', 'sign-out']);
  });

  it('uses the settings as they are now', () => {
    const { clock, timers } = watch({ inUse: true });
    let now = { memberIdleSeconds: 30, signOutIdleMinutes: 15 };
    const done: string[] = [];
    const w = new IdleWatch({
      clock,
      timers,
      settings: () => now,
      screenInUse: () => true,
      onClearMember: () => done.push('clear'),
      onSignOut: () => done.push('out'),
    });
    w.start();
    clock.advance(31_000);
    expect(w.check()).toBe('clear-member');
    now = { memberIdleSeconds: 60, signOutIdleMinutes: 15 };
    expect(w.check()).toBe('none');
  });

  it('stops: no timer left, and a callback that stops it is not re-armed', () => {
    const { w, timers, pass } = watch({ inUse: true });
    w.start();
    expect(timers.size).toBe(1);
    w.stop();
    expect(timers.size).toBe(0);
    pass(20 * 60_000);

    const clock = new ManualClock(0);
    const manual = new ManualTimers(clock);
    const self: IdleWatch = new IdleWatch({
      clock,
      timers: manual,
      settings: () => settings,
      screenInUse: () => true,
      onClearMember: () => self.stop(),
      onSignOut: () => undefined,
    });
    self.start();
    clock.advance(90_000);
    manual.fireDue();
    expect(manual.size).toBe(0);
  });
});
