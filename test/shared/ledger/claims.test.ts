// HQ's check of a terminal's claims (assessClaim), rule by rule, with figures computed by hand on a small
// program, and the projection applying the ruling: what is applied, what is held, what is reported.
import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents, memberInvariantProblems } from '../../../src-shared/ledger/apply-event.js';
import { assessClaim, isIntact, type Ruling } from '../../../src-shared/ledger/claims.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { eventFactory, testProgram } from '../../support/events.js';

const M = 'member-1';
const program: Program = testProgram({
  version: 3,
  bonuses: { welcome: 50, birthday: 0 },
  tiers: {
    basis: 'points',
    windowMonths: 12,
    levels: [
      { id: 'bronze', label: 'Bronze', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 1000 },
    ],
  },
  rewards: [
    {
      id: 'coffee',
      label: 'Free coffee',
      kind: 'free-product',
      sku: 'coffee',
      cost: 150,
      maxPerTransaction: 2,
    },
    { id: 'lounge', label: 'Gold lounge', kind: 'free-product', sku: 'lounge', cost: 100, tiers: ['gold'] },
    { id: 'old-mug', label: 'Old mug', kind: 'free-product', sku: 'mug', cost: 80, active: false },
  ],
  actions: [
    { id: 'review', label: 'Review written', points: 15, limit: { count: 1, period: 'lifetime' } },
    { id: 'survey', label: 'Survey answered', points: 10, limit: { count: 1, period: 'month' } },
  ],
  plans: [{ id: 'plus', label: 'Plus', fee: 2900, durationDays: 365, joinBonus: 500 }],
});

interface Setup {
  f: ReturnType<typeof eventFactory>;
  member: Member;
}

/** A member enrolled on terminal t-1 with `balance` points from an HQ adjustment (bronze tier). */
function setup(balance = 1000): Setup {
  const hq = eventFactory({ terminalId: 'hq', programVersion: 3 });
  const f = eventFactory({ programVersion: 3, start: '2025-03-03T10:00:00.000Z' });
  const events: LedgerEvent[] = [hq.enrolled(M, {}, '2025-03-01T09:00:00.000Z')];
  if (balance > 0) events.push(hq.adjusted(M, balance, '2025-03-01T09:01:00.000Z'));
  const member = applyEvents(null, events, program);
  if (!member) throw new Error('no member');
  return { f, member };
}

const assess = (
  event: LedgerEvent,
  member: Member | null,
  extra: Partial<Parameters<typeof assessClaim>[1]> = {},
) => assessClaim(event, { program, member, intact: isIntact(event), ...extra });

const kinds = (r: Ruling): string[] => r.findings.map((x) => x.kind);

/** Applies the event at HQ's figure and checks the projection's invariants. */
function applied(member: Member | null, event: LedgerEvent, ruling: Ruling): Member {
  const m = applyEvent(member, event, program, undefined, ruling);
  expect(memberInvariantProblems(m)).toEqual([]);
  return m;
}

/** The same event with its content changed after sealing (the hash no longer matches). */
function tampered<E extends LedgerEvent>(event: E, payload: Partial<E['payload']>): E {
  return { ...event, payload: { ...event.payload, ...payload } };
}

describe('assessClaim: earn', () => {
  it('applies a quote HQ agrees with as claimed, reporting nothing', () => {
    const { f, member } = setup();
    const r = assess(f.earned(M, 120, undefined, { eligible: 12_000 }), member);
    expect(r).toEqual({ held: 0, findings: [] });
  });

  it('applies an over-quote at HQ figure and holds the difference', () => {
    const { f, member } = setup();
    const e = f.earned(M, 500, undefined, { eligible: 12_000 });
    const r = assess(e, member);
    expect(r.points).toBe(120);
    expect(r.held).toBe(380);
    expect(kinds(r)).toEqual(['quote-mismatch']);
    expect(r.findings[0]?.reason).toBe(
      'quoted 500 points, HQ computes 120 under program v3: 120 applied, 380 held',
    );
    expect(r.findings[0]?.details).toMatchObject({ quoted: 500, computed: 120, programVersion: 3 });
    const m = applied(member, e, r);
    expect(m.balance).toBe(1120);
    expect(m.totals.earned).toBe(120);
    expect(m.qualifying['2025-03']?.points).toBe(120);
  });

  it('applies an under-quote as claimed and reports it', () => {
    const { f, member } = setup();
    const r = assess(f.earned(M, 100, undefined, { eligible: 12_000 }), member);
    expect(r.points).toBeUndefined();
    expect(r.held).toBe(0);
    expect(kinds(r)).toEqual(['quote-mismatch']);
    expect(r.findings[0]?.reason).toMatch(/applied as claimed/);
  });

  it('holds the whole claim when HQ cannot re-quote (a basket in another currency)', () => {
    const { f, member } = setup();
    const e = f.seal('points-earned', M, {
      basket: { currency: 'USD', total: 1000, eligible: 1000, lines: 1, items: 1 },
      lines: [{ sku: 'x', category: 'general', quantity: 1, unitPrice: 1000, discount: 0 }],
      points: 10,
      explanation: [],
    });
    const r = assess(e, member);
    expect(r).toMatchObject({ points: 0, held: 10 });
    expect(r.findings[0]).toMatchObject({ kind: 'quote-mismatch', details: { quoted: 10, computed: null } });
    expect(applied(member, e, r).balance).toBe(1000);
  });

  it('lets a blocked member earn as before', () => {
    const { f, member } = setup();
    const blocked = applyEvent(member, f.updated(M, { status: 'blocked' }), program);
    expect(assess(f.earned(M, 50, undefined, { eligible: 5000 }), blocked)).toEqual({
      held: 0,
      findings: [],
    });
  });
});

describe('assessClaim: redemption', () => {
  it('applies a 150-point reward redeemed for 1 point at 150', () => {
    const { f, member } = setup();
    const e = f.redeemed(M, 1, undefined, { rewardId: 'coffee', quantity: 1 });
    const r = assess(e, member);
    expect(r).toMatchObject({ points: 150, held: 0 });
    expect(kinds(r)).toEqual(['reward-mismatch']);
    expect(r.findings[0]?.reason).toBe(
      'redeemed "Free coffee" for 1 point; program v3 says 150: 150 applied',
    );
    const m = applied(member, e, r);
    expect(m.balance).toBe(850);
    expect(m.totals.redeemed).toBe(150);
  });

  it('applies an over-charged redemption at the program cost too (the member is not over-charged)', () => {
    const { f, member } = setup();
    const r = assess(f.redeemed(M, 400, undefined, { rewardId: 'coffee', quantity: 1 }), member);
    expect(r).toMatchObject({ points: 150, held: 0 });
    expect(kinds(r)).toEqual(['reward-mismatch']);
  });

  it('counts cost × quantity, and reports nothing for a right claim', () => {
    const { f, member } = setup();
    expect(assess(f.redeemed(M, 300, undefined, { rewardId: 'coffee', quantity: 2 }), member)).toEqual({
      held: 0,
      findings: [],
    });
    const r = assess(f.redeemed(M, 150, undefined, { rewardId: 'coffee', quantity: 2 }), member);
    expect(r.points).toBe(300);
  });

  it('applies a tier-only reward redeemed below the tier, and reports it (never reversed)', () => {
    const { f, member } = setup();
    expect(member.tier).toBe('bronze');
    const e = f.redeemed(M, 100, undefined, { rewardId: 'lounge', quantity: 1 });
    const r = assess(e, member);
    expect(r.points).toBeUndefined();
    expect(r.held).toBe(0);
    expect(r.findings).toEqual([
      expect.objectContaining({
        kind: 'reward-not-allowed',
        details: expect.objectContaining({ refusal: 'tier-only', cost: 100 }),
      }),
    ]);
    expect(r.findings[0]?.reason).toMatch(/"Gold lounge" is for Gold members only.*applied at 100 points/);
    expect(applied(member, e, r).balance).toBe(900);
  });

  it('reports over maxPerTransaction, an inactive reward and a blocked member as not allowed', () => {
    const { f, member } = setup();
    const over = assess(f.redeemed(M, 450, undefined, { rewardId: 'coffee', quantity: 3 }), member);
    expect(over.findings.map((x) => x.details.refusal)).toEqual(['over-transaction-limit']);
    const inactive = assess(f.redeemed(M, 80, undefined, { rewardId: 'old-mug', quantity: 1 }), member);
    expect(inactive.findings.map((x) => x.details.refusal)).toEqual(['reward-inactive']);
    const blocked = applyEvent(member, f.updated(M, { status: 'blocked' }), program);
    const r = assess(f.redeemed(M, 150, undefined, { rewardId: 'coffee', quantity: 1 }), blocked);
    expect(r.findings.map((x) => [x.kind, x.details.refusal])).toEqual([
      ['reward-not-allowed', 'member-inactive'],
    ]);
  });

  it('leaves insufficient points to the debt path: no finding, applied at cost', () => {
    const { f, member } = setup(100);
    const e = f.redeemed(M, 150, undefined, { rewardId: 'coffee', quantity: 1 });
    const r = assess(e, member);
    expect(r).toEqual({ held: 0, findings: [] });
    const m = applied(member, e, r);
    expect([m.balance, m.debt]).toEqual([0, 50]);
  });

  it('applies an unknown reward as claimed and reports it', () => {
    const { f, member } = setup();
    const r = assess(f.redeemed(M, 70, undefined, { rewardId: 'ghost', quantity: 1 }), member);
    expect(r.points).toBeUndefined();
    expect(kinds(r)).toEqual(['reward-unknown']);
  });
});

describe('assessClaim: action bonuses and other bonuses', () => {
  it('applies an action claimed at 5,000 points where the program says 15 at 15, holding 4,985', () => {
    const { f, member } = setup();
    const e = f.bonus(M, 5000, 'action', undefined, { actionId: 'review' });
    const r = assess(e, member);
    expect(r).toMatchObject({ points: 15, held: 4985 });
    expect(kinds(r)).toEqual(['action-mismatch']);
    const m = applied(member, e, r);
    expect(m.balance).toBe(1015);
    expect(m.totals.bonus).toBe(15);
    expect(m.actions.review).toEqual([e.occurredAt]);
  });

  it('holds an action beyond its lifetime limit whole, and does not record it against the limit', () => {
    const { f, member } = setup();
    const first = f.bonus(M, 15, 'action', undefined, { actionId: 'review' });
    const r1 = assess(first, member);
    expect(r1).toEqual({ held: 0, findings: [] });
    const after = applied(member, first, r1);
    const second = f.bonus(M, 15, 'action', undefined, { actionId: 'review' });
    const r2 = assess(second, after);
    expect(r2).toMatchObject({ points: 0, held: 15 });
    expect(kinds(r2)).toEqual(['action-over-limit']);
    expect(r2.findings[0]?.reason).toMatch(/already given 1 time in total \(limit 1\)/);
    const m = applied(after, second, r2);
    expect(m.balance).toBe(1015);
    expect(m.actions.review).toEqual([first.occurredAt]);
  });

  it("counts a period limit across terminals (the member record is HQ's)", () => {
    const { f, member } = setup();
    const other = eventFactory({ terminalId: 't-2', programVersion: 3, start: '2025-03-04T10:00:00.000Z' });
    const there = other.bonus(M, 10, 'action', undefined, { actionId: 'survey' });
    const after = applied(member, there, assess(there, member));
    const here = f.bonus(M, 10, 'action', '2025-03-20T10:00:00.000Z', { actionId: 'survey' });
    expect(assess(here, after)).toMatchObject({ points: 0, held: 10 });
    const nextMonth = f.bonus(M, 10, 'action', '2025-04-02T10:00:00.000Z', { actionId: 'survey' });
    expect(assess(nextMonth, after)).toEqual({ held: 0, findings: [] });
  });

  it('applies an under-claimed action as claimed, and holds an unknown action whole', () => {
    const { f, member } = setup();
    const under = assess(f.bonus(M, 10, 'action', undefined, { actionId: 'review' }), member);
    expect(under).toMatchObject({ held: 0 });
    expect(under.points).toBeUndefined();
    expect(kinds(under)).toEqual(['action-mismatch']);
    const unknown = assess(f.bonus(M, 40, 'action', undefined, { actionId: 'ghost' }), member);
    expect(unknown).toMatchObject({ points: 0, held: 40 });
    expect(kinds(unknown)).toEqual(['action-unknown']);
    const none = assess(f.bonus(M, 40, 'action'), member);
    expect(none).toMatchObject({ points: 0, held: 40 });
  });

  it('holds the whole of a welcome, referral, birthday, plan or campaign bonus from a terminal', () => {
    const { f, member } = setup();
    for (const kind of ['welcome', 'referral', 'birthday', 'plan', 'campaign'] as const) {
      const r = assess(f.bonus(M, 25, kind), member);
      expect(r, kind).toMatchObject({ points: 0, held: 25 });
      expect(kinds(r)).toEqual(['bonus-not-allowed']);
    }
  });
});

describe('assessClaim: enrollment and plans', () => {
  it('checks the welcome bonus against the program', () => {
    const f = eventFactory({ programVersion: 3 });
    expect(assess(f.enrolled(M, { welcomeBonus: 50 }), null)).toEqual({ held: 0, findings: [] });
    const over = f.enrolled('member-2', { welcomeBonus: 5000 });
    const r = assess(over, null);
    expect(r).toMatchObject({ points: 50, held: 4950 });
    expect(kinds(r)).toEqual(['welcome-mismatch']);
    const m = applied(null, over, r);
    expect([m.balance, m.totals.bonus]).toEqual([50, 50]);
    const under = assess(f.enrolled('member-3', { welcomeBonus: 20 }), null);
    expect(under.points).toBeUndefined();
    expect(kinds(under)).toEqual(['welcome-mismatch']);
  });

  it('credits the plan join bonus from the program, and reports nothing for a right claim', () => {
    const { f, member } = setup();
    const e = f.planJoined(M, 'plus', '2026-03-03T10:00:00.000Z', '2025-03-03T10:00:00.000Z', 2900);
    const r = assess(e, member);
    expect(r).toEqual({ held: 0, findings: [] });
    const m = applied(member, e, r);
    expect(m.plan).toEqual({ id: 'plus', until: '2026-03-03T10:00:00.000Z' });
    expect([m.balance, m.totals.bonus]).toEqual([1500, 500]);
  });

  it('reports a wrong fee and a plan that runs too long, and gives no bonus for an unknown plan', () => {
    const { f, member } = setup();
    const wrong = f.planJoined(M, 'plus', '2027-01-01T00:00:00.000Z', '2025-03-03T10:00:00.000Z', 100);
    const r = assess(wrong, member);
    expect(kinds(r)).toEqual(['plan-mismatch', 'plan-mismatch']);
    expect(r.findings[0]?.details).toMatchObject({ fee: 100, programFee: 2900 });
    expect(r.findings[1]?.details).toMatchObject({ latest: '2026-03-03T10:00:00.000Z' });
    const unknown = f.planJoined(M, 'gold-club', '2026-01-01T00:00:00.000Z');
    const u = assess(unknown, member);
    expect(u).toMatchObject({ points: 0, held: 0 });
    expect(kinds(u)).toEqual(['plan-unknown']);
    expect(applied(member, unknown, u).balance).toBe(1000);
  });
});

describe('assessClaim: adjustments', () => {
  it('applies +5,000,000 from a manager at the cap and holds the rest', () => {
    const { f, member } = setup();
    const e = f.adjusted(M, 5_000_000);
    const r = assess(e, member, { managerRole: 'manager' });
    expect(r).toMatchObject({ points: 1000, held: 4_999_000 });
    expect(kinds(r)).toEqual(['adjustment-over-cap']);
    const m = applied(member, e, r);
    expect([m.balance, m.totals.adjustedIn]).toEqual([2000, 2000]);
  });

  it('caps by role: a cashier and a manager unknown to HQ may give 0; within the cap applies as claimed', () => {
    const { f, member } = setup();
    const e = f.adjusted(M, 200);
    expect(assess(e, member, { managerRole: 'manager' })).toEqual({ held: 0, findings: [] });
    expect(assess(e, member, { managerRole: 'cashier' })).toMatchObject({ points: 0, held: 200 });
    const unknown = assess(e, member, { managerRole: null });
    expect(unknown).toMatchObject({ points: 0, held: 200 });
    expect(unknown.findings[0]?.reason).toMatch(/manager "m-1", unknown to HQ/);
    expect(assess(e, member)).toMatchObject({ points: 0, held: 200 });
    const generous = { ...program, adjustments: { caps: { cashier: 300, manager: 5000 } } };
    expect(assessClaim(e, { program: generous, member, intact: true, managerRole: 'cashier' })).toEqual({
      held: 0,
      findings: [],
    });
  });

  it('applies a debit whole (debits no less), flagging one above the cap', () => {
    const { f, member } = setup();
    const big = f.adjusted(M, -5000);
    const r = assess(big, member, { managerRole: 'manager' });
    expect(r.points).toBeUndefined();
    expect(r.held).toBe(0);
    expect(kinds(r)).toEqual(['adjustment-over-cap']);
    const m = applied(member, big, r);
    expect([m.balance, m.debt]).toEqual([0, 4000]);
    expect(assess(f.adjusted(M, -500), member, { managerRole: 'manager' })).toEqual({
      held: 0,
      findings: [],
    });
  });
});

describe('assessClaim: altered events', () => {
  it('holds an altered earn whole', () => {
    const { f, member } = setup();
    const e = tampered(f.earned(M, 120, undefined, { eligible: 12_000 }), { points: 90 });
    expect(isIntact(e)).toBe(false);
    const r = assess(e, member);
    expect(r).toMatchObject({ points: 0, held: 90 });
    expect(kinds(r)).toEqual(['altered']);
    expect(r.findings[0]?.details).toMatchObject({ hash: e.hash, claimed: 90 });
    expect(applied(member, e, r).balance).toBe(1000);
  });

  it('holds an altered bonus, positive adjustment, welcome and join bonus whole', () => {
    const { f, member } = setup();
    const bonus = tampered(f.bonus(M, 15, 'action', undefined, { actionId: 'review' }), { points: 14 });
    expect(assess(bonus, member)).toMatchObject({ points: 0, held: 14 });
    const adj = tampered(f.adjusted(M, 10), { points: 20 });
    expect(assess(adj, member, { managerRole: 'manager' })).toMatchObject({ points: 0, held: 20 });
    const enrolled = tampered(eventFactory().enrolled('member-9', { welcomeBonus: 50 }), {
      displayName: 'Eve',
    });
    const r = assess(enrolled, null);
    expect(r).toMatchObject({ points: 0, held: 50 });
    const m = applied(null, enrolled, r);
    expect([m.displayName, m.balance]).toEqual(['Eve', 0]);
    const plan = tampered(f.planJoined(M, 'plus', '2026-01-01T00:00:00.000Z'), { fee: 1 });
    expect(assess(plan, member)).toMatchObject({ points: 0, held: 500 });
  });

  it('applies an altered redemption at the program cost, and an altered debit as claimed', () => {
    const { f, member } = setup();
    const e = tampered(f.redeemed(M, 150, undefined, { rewardId: 'coffee', quantity: 1 }), { cost: 1 });
    const r = assess(e, member);
    expect(r).toMatchObject({ points: 150, held: 0 });
    expect(kinds(r)).toEqual(['reward-mismatch', 'altered']);
    const unknown = tampered(f.redeemed(M, 70, undefined, { rewardId: 'ghost', quantity: 1 }), { cost: 60 });
    expect(assess(unknown, member).points).toBeUndefined();
    const debit = tampered(f.adjusted(M, -10), { points: -20 });
    const d = assess(debit, member, { managerRole: 'manager' });
    expect(d.points).toBeUndefined();
    expect(kinds(d)).toEqual(['altered']);
  });

  it('refunds nothing for an altered void of a redemption, holding the refund', () => {
    const { f, member } = setup();
    const redeemed = f.redeemed(M, 150, undefined, { rewardId: 'coffee', quantity: 1 });
    const after = applied(member, redeemed, assess(redeemed, member));
    const v = tampered(f.voided(redeemed), { reason: 'changed' });
    const r = assess(v, after);
    expect(r).toMatchObject({ points: 0, held: 150 });
    expect(applied(after, v, r).balance).toBe(850);
    const earned = f.earned(M, 10, undefined, { eligible: 1000 });
    const voidOfEarn = tampered(f.voided(earned), { reason: 'changed' });
    expect(assess(voidOfEarn, after).points).toBeUndefined();
    expect(assess(f.voided(earned), after)).toEqual({ held: 0, findings: [] });
  });
});

describe('assessClaim: events only HQ makes, and details', () => {
  it('reports a tier change or an expiry sent by a terminal', () => {
    const { f, member } = setup();
    expect(kinds(assess(f.tierChanged(M, 'bronze', 'gold'), member))).toEqual(['hq-only']);
    expect(kinds(assess(f.expired(M, 10, [], 'inactivity'), member))).toEqual(['hq-only']);
    expect(assess(f.updated(M, { displayName: 'Ada K.' }), member)).toEqual({ held: 0, findings: [] });
  });

  it('keeps every finding JSON-able', () => {
    const { f, member } = setup();
    const r = assess(f.earned(M, 500, undefined, { eligible: 12_000 }), member);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('a void of an event HQ applied at its own figure', () => {
  it('reverses the applied figure, restoring the member exactly', () => {
    const { f, member } = setup(0);
    const earn = f.earned(M, 500, undefined, { eligible: 12_000 });
    const r = assess(earn, member);
    const after = applied(member, earn, r);
    const undone = applied(after, f.voided(earn), { held: 0, findings: [], points: r.points ?? 500 });
    expect([undone.balance, undone.debt, undone.totals.earned, undone.purchases]).toEqual([0, 0, 0, 0]);
    expect(undone.qualifying).toEqual({});
  });

  it('does not remove an action occurrence for an action applied at 0', () => {
    const { f, member } = setup();
    const first = f.bonus(M, 15, 'action', '2025-03-03T10:00:00.000Z', { actionId: 'review' });
    const after = applied(member, first, assess(first, member));
    const second = f.bonus(M, 15, 'action', '2025-03-03T10:00:00.000Z', { actionId: 'review' });
    const r = assess(second, after);
    const twice = applied(after, second, r);
    const undone = applied(twice, f.voided(second), { held: 0, findings: [], points: 0 });
    expect(undone.actions.review).toEqual([first.occurredAt]);
    expect(undone.balance).toBe(1015);
  });
});
