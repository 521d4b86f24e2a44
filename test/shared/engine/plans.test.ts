import { describe, it, expect } from 'vitest';
import { activePlan } from '../../../src-shared/engine/plans.js';
import { at, makeProgram } from './builders.js';

describe('activePlan', () => {
  const program = makeProgram({
    plans: [{ id: 'plus', label: 'Plus', fee: 999, durationDays: 365, multiplier: 2 }],
  });
  const until = '2026-06-01T00:00:00.000Z';
  it('returns the plan while it runs, until exclusive', () => {
    expect(activePlan({ plan: { id: 'plus', until } }, program, at(until) - 1)?.id).toBe('plus');
    expect(activePlan({ plan: { id: 'plus', until } }, program, at(until))).toBeNull();
  });
  it('is null without a plan or for a plan the program does not know', () => {
    expect(activePlan({ plan: null }, program, 0)).toBeNull();
    expect(activePlan({ plan: { id: 'gold-club', until } }, program, 0)).toBeNull();
  });
});
