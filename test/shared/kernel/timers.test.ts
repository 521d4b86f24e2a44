// The one Timers interface: the host's timers call back, and ManualTimers fire only when told.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers, systemTimers } from '../../../src-shared/kernel/timers.js';

describe('systemTimers', () => {
  it('calls back, and not once cleared', async () => {
    const fired: string[] = [];
    const cleared = systemTimers.setTimeout(() => fired.push('cleared'), 1);
    systemTimers.clearTimeout(cleared);
    await new Promise<void>((resolve) =>
      systemTimers.setTimeout(() => {
        fired.push('ran');
        resolve();
      }, 5),
    );
    expect(fired).toEqual(['ran']);
  });
});

describe('ManualTimers', () => {
  it('runs only timers due at the clock, once, and remembers every delay asked for', () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(clock);
    const ran: number[] = [];
    timers.setTimeout(() => ran.push(100), 100);
    const cancelled = timers.setTimeout(() => ran.push(50), 50);
    timers.setTimeout(() => ran.push(300), 300);
    timers.clearTimeout(cancelled);
    expect(timers.dueTimes()).toEqual([100, 300]);
    expect(timers.fireDue()).toBe(0);
    clock.advance(150);
    expect(timers.fireDue()).toBe(1);
    expect(timers.fireDue()).toBe(0);
    expect(ran).toEqual([100]);
    expect(timers.requested).toEqual([100, 50, 300]);
    expect(timers.pendingDelays()).toEqual([300]);
  });

  it('fireAll runs every pending timer but not ones set while running', () => {
    const timers = new ManualTimers();
    const ran: string[] = [];
    timers.setTimeout(() => {
      ran.push('first');
      timers.setTimeout(() => ran.push('later'), 10);
    }, 1000);
    expect(timers.fireAll()).toBe(1);
    expect(ran).toEqual(['first']);
    expect(timers.size).toBe(1);
    timers.fireAll();
    expect(ran).toEqual(['first', 'later']);
  });
});
