import { describe, it, expect } from 'vitest';
import { HOUR_MS } from '../../../src-shared/kernel/clock.js';
import { offlineBound } from '../../../src-shared/engine/offline-bound.js';
import { replicaMode, type ReplicaMode } from '../../../src-shared/engine/offline.js';
import { makeProgram, offlinePolicy } from './builders.js';

const pulled = Date.parse('2026-03-11T08:00:00Z');

describe('replicaMode', () => {
  // freshHours 24, expiredHours 72
  it('is fresh before freshHours, counting down to the stale instant', () => {
    expect(replicaMode(pulled, pulled, offlinePolicy)).toEqual({
      mode: 'fresh',
      nextChangeAt: pulled + 24 * HOUR_MS,
    });
    expect(replicaMode(pulled, pulled + 24 * HOUR_MS - 1, offlinePolicy).mode).toBe('fresh');
  });

  it('is stale from freshHours until expiredHours, counting down to the expired instant', () => {
    expect(replicaMode(pulled, pulled + 24 * HOUR_MS, offlinePolicy)).toEqual({
      mode: 'stale',
      nextChangeAt: pulled + 72 * HOUR_MS,
    });
    expect(replicaMode(pulled, pulled + 72 * HOUR_MS - 1, offlinePolicy).mode).toBe('stale');
  });

  it('is expired from expiredHours on, and when never pulled, with no countdown', () => {
    expect(replicaMode(pulled, pulled + 72 * HOUR_MS, offlinePolicy)).toEqual({
      mode: 'expired',
      nextChangeAt: null,
    });
    expect(replicaMode(pulled, pulled + 1000 * HOUR_MS, offlinePolicy)).toEqual({
      mode: 'expired',
      nextChangeAt: null,
    });
    expect(replicaMode(null, pulled, offlinePolicy)).toEqual({ mode: 'expired', nextChangeAt: null });
  });

  it('accepts fractional hours', () => {
    const policy = { ...offlinePolicy, freshHours: 0.5, expiredHours: 1.5 };
    expect(replicaMode(pulled, pulled, policy).nextChangeAt).toBe(pulled + 30 * 60_000);
    expect(replicaMode(pulled, pulled + 31 * 60_000, policy)).toEqual({
      mode: 'stale',
      nextChangeAt: pulled + 90 * 60_000,
    });
  });

  it('lets the countdown be computed from nextChangeAt as time passes', () => {
    const now = pulled + 23 * HOUR_MS + 59 * 60_000;
    const { nextChangeAt } = replicaMode(pulled, now, offlinePolicy);
    expect((nextChangeAt ?? 0) - now).toBe(60_000);
  });
});

describe('offlineBound: what is left without a manager', () => {
  const program = makeProgram(); // staleAllowancePercent 50, managerOverrideCap 200
  const left = (mode: ReplicaMode, usedOffline: number) =>
    offlineBound(program, { mode, allowance: 301, usedOffline }).allowanceLeft;
  it('is the allowance less what this terminal used, when fresh', () => {
    expect(left('fresh', 0)).toBe(301);
    expect(left('fresh', 100)).toBe(201);
    expect(left('fresh', 400)).toBe(0);
  });
  it('is the stale share of the allowance (rounded down) less the same, when stale', () => {
    expect(left('stale', 0)).toBe(150);
    expect(left('stale', 100)).toBe(50);
    expect(left('stale', 200)).toBe(0);
  });
  it('is nothing when expired', () => {
    expect(left('expired', 0)).toBe(0);
  });
});
