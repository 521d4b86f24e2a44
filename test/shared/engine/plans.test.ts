import { describe, it, expect } from 'vitest';
import { activePlan, checkPlanSale } from '../../../src-shared/engine/plans.js';
import { assessClaim } from '../../../src-shared/ledger/claims.js';
import { eventFactory } from '../../support/events.js';
import { at, makeMember, makeProgram } from './builders.js';

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

describe('checkPlanSale', () => {
  const program = makeProgram({
    plans: [
      { id: 'plus', label: 'Plus', fee: 2900, durationDays: 365, joinBonus: 500, perks: ['Free delivery'] },
      { id: 'month', label: 'Monthly', fee: 300, durationDays: 30 },
    ],
  });
  const now = at('2026-03-11T10:00:00.000Z');
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const reason = (r: ReturnType<typeof checkPlanSale>) => (r.ok ? 'ok' : r.error.reason);

  it('sells a plan to a member without one: the plan and its end, the duration after the sale', () => {
    const r = checkPlanSale(makeMember(), 'plus', program, now, day);
    expect(r).toEqual({ ok: true, value: { plan: program.plans[0], until: '2027-03-11T10:00:00.000Z' } });
    const monthly = checkPlanSale(makeMember(), 'month', program, now, day);
    expect(monthly.ok && monthly.value.until).toBe('2026-04-10T10:00:00.000Z');
  });

  it('refuses an unknown plan and an inactive member', () => {
    expect(checkPlanSale(makeMember(), 'gold-club', program, now, day)).toEqual({
      ok: false,
      error: {
        reason: 'plan-unknown',
        message: 'Unknown plan "gold-club"',
        figures: { planId: 'gold-club' },
      },
    });
    const blocked = checkPlanSale(makeMember({ status: 'blocked' }), 'plus', program, now, day);
    expect(blocked).toEqual({
      ok: false,
      error: {
        reason: 'member-inactive',
        message: 'This member account is blocked: no plan',
        figures: { status: 'blocked' },
      },
    });
  });

  it('refuses while a plan runs, saying when it ends; sells again from its end (exclusive)', () => {
    const until = '2026-04-01T00:00:00.000Z';
    const member = makeMember({ plan: { id: 'month', until } });
    expect(checkPlanSale(member, 'plus', program, now, day)).toEqual({
      ok: false,
      error: {
        reason: 'plan-active',
        message: 'Already a Monthly member until 2026-04-01: sell it again once it has ended',
        figures: { plan: 'Monthly', until: at(until) },
      },
    });
    expect(reason(checkPlanSale(member, 'month', program, at(until) - 1, day))).toBe('plan-active');
    expect(reason(checkPlanSale(member, 'month', program, at(until), day))).toBe('ok');
  });

  it('sells to a member whose plan the program no longer lists', () => {
    const member = makeMember({ plan: { id: 'gold-club', until: '2030-01-01T00:00:00.000Z' } });
    expect(reason(checkPlanSale(member, 'plus', program, now, day))).toBe('ok');
  });

  it('makes a sale HQ applies as claimed: the join bonus, no finding', () => {
    const sale = checkPlanSale(makeMember(), 'plus', program, now, day);
    if (!sale.ok) throw new Error(sale.error.message);
    const event = eventFactory().planJoined('m-1', 'plus', sale.value.until, now, sale.value.plan.fee);
    expect(assessClaim(event, { program, member: makeMember(), intact: true })).toEqual({
      held: 0,
      findings: [],
    });
    // One millisecond more than the duration is what HQ reports: the till's figure is exactly its limit.
    const longer = eventFactory().planJoined('m-1', 'plus', at(sale.value.until) + 1, now, 2900);
    const ruling = assessClaim(longer, { program, member: makeMember(), intact: true });
    expect(ruling.findings.map((f) => f.kind)).toEqual(['plan-mismatch']);
  });
});
