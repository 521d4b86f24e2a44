// "A void happens once": the one rule the till and HQ ask before a void counts.
import { describe, expect, it } from 'vitest';
import { mayVoid, voidedIds } from '../../../src-shared/ledger/voids.js';
import { eventFactory } from '../../support/events.js';

const M = 'member-1';
const f = eventFactory();
const earned = f.adjusted(M, 50);
const tier = f.tierChanged(M, null, 'silver');

describe('mayVoid', () => {
  it('lets a counted, voidable event of the member be voided once, and returns it', () => {
    const allowed = mayVoid({ original: earned, memberId: M, held: earned, alreadyVoided: false });
    expect(allowed).toEqual({ ok: true, value: earned });
  });

  it('refuses, in this order: not voidable, not counted, another member, a differing copy, already voided', () => {
    const reason = (r: ReturnType<typeof mayVoid>) => (r.ok ? 'allowed' : r.error.reason);
    expect(reason(mayVoid({ original: tier, counted: false, alreadyVoided: true }))).toBe('not-voidable');
    expect(reason(mayVoid({ original: earned, counted: false, memberId: 'x', alreadyVoided: true }))).toBe(
      'not-counted',
    );
    expect(reason(mayVoid({ original: earned, memberId: 'member-2', alreadyVoided: true }))).toBe(
      'other-member',
    );
    const altered = { ...earned, payload: { ...earned.payload, points: 5000 } };
    expect(reason(mayVoid({ original: altered, held: earned, alreadyVoided: true }))).toBe(
      'differs-from-held',
    );
    expect(reason(mayVoid({ original: earned, held: earned, alreadyVoided: true }))).toBe('already-voided');
  });

  it('without a held copy or a member, checks what it is given', () => {
    expect(mayVoid({ original: earned, held: null, alreadyVoided: false }).ok).toBe(true);
  });
});

describe('voidedIds', () => {
  it('counts only voids that count: a refused void voids nothing', () => {
    const other = f.adjusted(M, 10);
    const ids = voidedIds([
      { event: earned, counted: true },
      { event: f.voided(earned), counted: true },
      { event: f.voided(other), counted: false },
    ]);
    expect([...ids]).toEqual([earned.id]);
  });
});
