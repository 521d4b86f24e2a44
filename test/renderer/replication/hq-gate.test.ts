// The HQ gate: the kernel's backoff between failed requests, woken by news that HQ is back.
import { describe, expect, it } from 'vitest';
import { HqGate } from '../../../src-renderer/replication/hq-gate.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';

describe('HqGate', () => {
  it('backs off, doubling up to the maximum, and lets waiters go when woken', async () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(clock);
    const gate = new HqGate(timers, { initialMs: 100, maxMs: 300 });
    await gate.ready();
    gate.failed();
    expect(timers.dueTimes()).toEqual([100]);
    let released = false;
    const waiting = gate.ready().then(() => (released = true));
    clock.set(100);
    timers.fireDue();
    await waiting;
    expect(released).toBe(true);
    gate.failed();
    expect(timers.dueTimes()).toEqual([300]);
    const woken = gate.ready();
    gate.wake();
    await woken;
    gate.failed();
    expect(timers.dueTimes()).toEqual([400]);
    gate.succeeded();
    gate.failed();
    expect(timers.dueTimes()).toEqual([200]);
  });
});
