// Unit tests of the member projection: every event type, debt and repayment, rolling expiry, tier upgrades
// on earn, and voids of each voidable type.
import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents, memberInvariantProblems } from '../../../src-shared/ledger/apply-event.js';
import { emptyMember, memberSchema, netPoints, type Member } from '../../../src-shared/ledger/member.js';
import {
  ledgerEventSchema,
  type LedgerEvent,
  type VoidableEvent,
} from '../../../src-shared/ledger/events.js';
import { MAX_POINTS } from '../../../src-shared/kernel/points.js';
import { eventFactory, testProgram } from '../../support/events.js';

const M = 'member-1';
const tiered = testProgram({
  tiers: {
    basis: 'points',
    windowMonths: 12,
    levels: [
      { id: 'bronze', label: 'Bronze', threshold: 0 },
      { id: 'silver', label: 'Silver', threshold: 100 },
      { id: 'gold', label: 'Gold', threshold: 500 },
    ],
  },
  expiry: { mode: 'rolling', months: 12 },
});
const plain = testProgram();

function run(events: readonly LedgerEvent[], program = tiered): Member {
  const m = applyEvents(null, events, program);
  if (!m) throw new Error('no member');
  expect(memberInvariantProblems(m)).toEqual([]);
  expect(memberSchema.safeParse(m).success).toBe(true);
  return m;
}

describe('applyEvent: enrollment and details', () => {
  it('enrolls a member with details, cards and a welcome bonus', () => {
    const f = eventFactory();
    const e = f.enrolled(M, {
      displayName: 'Ada L.',
      phoneHash: 'a'.repeat(64),
      phoneLast4: '1234',
      birthMonth: 4,
      cards: ['C1', 'C1', 'C2'],
      referredBy: 'member-0',
      welcomeBonus: 50,
    });
    const m = run([e]);
    expect(m).toMatchObject({
      id: M,
      status: 'active',
      displayName: 'Ada L.',
      phoneHash: 'a'.repeat(64),
      phoneLast4: '1234',
      birthMonth: 4,
      cards: ['C1', 'C2'],
      referredBy: 'member-0',
      balance: 50,
      enrolledAt: e.occurredAt,
      tier: 'bronze',
      seen: { 't-1': 1 },
    });
    expect(m.totals.bonus).toBe(50);
    expect(m.batches).toEqual([
      {
        eventId: e.id,
        earnedAt: e.occurredAt,
        expiresAt: '2026-03-03T09:00:00.000Z',
        points: 50,
        remaining: 50,
      },
    ]);
    expect(m.offlineAllowance).toBe(50);
  });

  it('rejects any other event for a member that does not exist, naming the event', () => {
    const f = eventFactory();
    const earn = f.earned(M, 10);
    expect(() => applyEvent(null, earn, plain)).toThrow(earn.id);
  });

  it('rejects an event for another member', () => {
    const f = eventFactory();
    const m = run([f.enrolled(M)]);
    expect(() => applyEvent(m, f.earned('member-2', 10), plain)).toThrow(/member-2/);
  });

  it('enrolling an existing member keeps its points and merges its cards', () => {
    const a = eventFactory({ terminalId: 't-a' });
    const b = eventFactory({ terminalId: 't-b' });
    const m = run([
      a.enrolled(M, { cards: ['C1'] }),
      a.earned(M, 30),
      b.enrolled(M, { displayName: 'Bo B.', cards: ['C2'] }),
    ]);
    expect(m.displayName).toBe('Bo B.');
    expect(m.cards).toEqual(['C1', 'C2']);
    expect(m.balance).toBe(30);
    expect(m.enrolledAt).toBe(a.events[0]?.occurredAt);
  });

  it('updates the given fields only, cards and status', () => {
    const f = eventFactory();
    const m = run([
      f.enrolled(M, { cards: ['C1', 'C2'], birthMonth: 3, phoneLast4: '1111', phoneHash: 'b'.repeat(64) }),
      f.updated(M, {
        displayName: 'Ada K.',
        phoneHash: null,
        phoneLast4: null,
        addCards: ['C3'],
        removeCards: ['C1'],
      }),
      f.earned(M, 100),
      f.updated(M, { status: 'blocked' }),
    ]);
    expect(m).toMatchObject({
      displayName: 'Ada K.',
      birthMonth: 3,
      phoneHash: null,
      phoneLast4: null,
      cards: ['C2', 'C3'],
    });
    expect(m.status).toBe('blocked');
    expect(m.offlineAllowance).toBe(0);
  });

  it('records tier changes and plans', () => {
    const hq = eventFactory({ terminalId: 'hq' });
    const m = run([
      hq.enrolled(M),
      hq.tierChanged(M, 'bronze', 'gold', 600),
      hq.planJoined(M, 'plus', '2026-01-01T00:00:00.000Z'),
    ]);
    expect(m.tier).toBe('gold');
    expect(m.plan).toEqual({ id: 'plus', until: '2026-01-01T00:00:00.000Z' });
    const down = applyEvent(m, hq.tierChanged(M, 'gold', 'silver'), tiered);
    expect(down.tier).toBe('silver');
  });
});

describe('applyEvent: idempotence, purity, memberSeq', () => {
  it('applying an event twice changes nothing, and memberSeq is recorded', () => {
    const f = eventFactory();
    const m1 = applyEvent(null, f.enrolled(M), plain, 1);
    const earn = f.earned(M, 40);
    const m2 = applyEvent(m1, earn, plain, 2);
    expect(m2.memberSeq).toBe(2);
    expect(applyEvent(m2, earn, plain, 3)).toBe(m2);
    expect(m2.seen).toEqual({ 't-1': 2 });
  });

  it('never mutates its inputs', () => {
    const f = eventFactory();
    const m = run([f.enrolled(M, { welcomeBonus: 10 }), f.earned(M, 100)], tiered);
    const snapshot = structuredClone(m);
    const redeem = f.redeemed(M, 60);
    const eventCopy = structuredClone(redeem);
    const after = applyEvents(m, [redeem, f.voided(redeem), f.earned(M, 5)], tiered);
    expect(m).toEqual(snapshot);
    expect(redeem).toEqual(eventCopy);
    expect(after?.balance).toBe(115);
  });
});

describe('applyEvent: earning, redeeming, debt', () => {
  it('earns into a batch, counts purchases, qualifying points in the local month, totals, activity', () => {
    const f = eventFactory();
    f.enrolled(M, {}, '2025-03-01T10:00:00.000Z');
    // 23:30 UTC on 31 March is already April in Paris.
    const e = f.earned(M, 120, '2025-03-31T23:30:00.000Z', { eligible: 12_000 });
    const m = run(f.events);
    expect(m.balance).toBe(120);
    expect(m.purchases).toBe(1);
    expect(m.qualifying).toEqual({ '2025-04': { points: 120, spend: 12_000 } });
    expect(m.totals.earned).toBe(120);
    expect(m.lastActivityAt).toBe(e.occurredAt);
  });

  it('keeps the latest activity when events arrive out of order', () => {
    const f = eventFactory();
    const m = run([
      f.enrolled(M, {}, '2025-03-01T10:00:00.000Z'),
      f.earned(M, 10, '2025-03-10T10:00:00.000Z'),
      f.earned(M, 10, '2025-03-05T10:00:00.000Z'),
    ]);
    expect(m.lastActivityAt).toBe('2025-03-10T10:00:00.000Z');
    expect(m.batches.map((b) => b.earnedAt)).toEqual([
      '2025-03-05T10:00:00.000Z',
      '2025-03-10T10:00:00.000Z',
    ]);
  });

  it('spends the oldest batches first', () => {
    const f = eventFactory();
    f.enrolled(M);
    const e1 = f.earned(M, 50);
    const e2 = f.earned(M, 70);
    f.redeemed(M, 80);
    const m = run(f.events);
    expect(m.balance).toBe(40);
    expect(m.batches.map((b) => [b.eventId, b.remaining])).toEqual([
      [e1.id, 0],
      [e2.id, 40],
    ]);
    expect(m.totals.redeemed).toBe(80);
  });

  it('turns an overdraft into debt, repaid first from later credits', () => {
    const a = eventFactory({ terminalId: 't-a' });
    const b = eventFactory({ terminalId: 't-b' });
    const events = [
      a.enrolled(M),
      a.earned(M, 100),
      a.redeemed(M, 80, undefined, { mode: 'offline' }),
      b.redeemed(M, 80, undefined, { mode: 'offline' }),
    ];
    const m = run(events);
    expect(m).toMatchObject({ balance: 0, debt: 60 });
    expect(netPoints(m)).toBe(-60);
    expect(m.offlineAllowance).toBe(0);
    const partly = run([...events, a.earned(M, 40)]);
    expect(partly).toMatchObject({ balance: 0, debt: 20 });
    const repaid = run([...events, a.earned(M, 40), a.earned(M, 50)]);
    expect(repaid).toMatchObject({ balance: 30, debt: 0 });
    expect(repaid.batches.at(-1)).toMatchObject({ points: 30, remaining: 30 });
    expect(repaid.totals.earned).toBe(190);
  });

  it('adjusts in both directions', () => {
    const f = eventFactory();
    const m = run([
      f.enrolled(M),
      f.adjusted(M, 30),
      f.adjusted(M, -50, undefined, { reasonCode: 'correction' }),
    ]);
    expect(m).toMatchObject({ balance: 0, debt: 20 });
    expect(m.totals).toMatchObject({ adjustedIn: 30, adjustedOut: 50 });
  });

  it('awards bonuses and records action bonuses for their limits', () => {
    const f = eventFactory();
    f.enrolled(M);
    f.bonus(M, 15, 'action', '2025-03-04T10:00:00.000Z', { actionId: 'survey' });
    const m = run([...f.events, f.bonus(M, 25, 'birthday')]);
    expect(m.balance).toBe(40);
    expect(m.totals.bonus).toBe(40);
    expect(m.actions).toEqual({ survey: ['2025-03-04T10:00:00.000Z'] });
  });

  it('computes the offline allowance after every event', () => {
    const program = testProgram({
      offline: {
        allowanceCap: 100,
        allowancePercentOfBalance: 50,
        freshHours: 24,
        expiredHours: 72,
        staleAllowancePercent: 50,
        managerOverrideCap: 0,
      },
    });
    const f = eventFactory();
    expect(run([f.enrolled(M), f.earned(M, 75)], program).offlineAllowance).toBe(37);
    expect(run([...f.events, f.earned(M, 1000)], program).offlineAllowance).toBe(100);
  });
});

describe('applyEvent: tiers', () => {
  it('upgrades on earn when the window total reaches a higher level, never downgrades', () => {
    const f = eventFactory();
    const base = [f.enrolled(M, {}, '2025-01-10T10:00:00.000Z'), f.earned(M, 90, '2025-01-15T10:00:00.000Z')];
    expect(run(base).tier).toBe('bronze');
    const silver = run([...base, f.earned(M, 10, '2025-02-01T10:00:00.000Z')]);
    expect(silver.tier).toBe('silver');
    // A year later the January points are out of the window: no upgrade, and no downgrade by earning.
    const later = run([...f.events, f.earned(M, 5, '2026-02-01T10:00:00.000Z')]);
    expect(later.tier).toBe('silver');
  });

  it('leaves the tier to HQ after a downgrade and upgrades again on qualifying earns', () => {
    const f = eventFactory();
    const hq = eventFactory({ terminalId: 'hq' });
    const m = run([f.enrolled(M), f.earned(M, 600), hq.tierChanged(M, 'gold', 'silver'), f.earned(M, 1)]);
    expect(m.tier).toBe('gold');
  });

  it('has no tier without tiers in the program', () => {
    const f = eventFactory();
    expect(run([f.enrolled(M), f.earned(M, 600)], plain).tier).toBeNull();
  });
});

describe('applyEvent: expiry', () => {
  it('gives rolling batches their expiry date; expiring takes what remains of the named batches', () => {
    const f = eventFactory();
    const hq = eventFactory({ terminalId: 'hq' });
    f.enrolled(M, {}, '2025-01-01T10:00:00.000Z');
    const e1 = f.earned(M, 100, '2025-01-15T10:00:00.000Z');
    const e2 = f.earned(M, 50, '2025-06-15T10:00:00.000Z');
    f.redeemed(M, 30, '2025-07-01T10:00:00.000Z');
    const events = [...f.events];
    const before = run(events);
    expect(before.batches.map((b) => [b.expiresAt, b.remaining])).toEqual([
      ['2026-01-15T10:00:00.000Z', 70],
      ['2026-06-15T10:00:00.000Z', 50],
    ]);
    const m = run([...events, hq.expired(M, 70, [e1.id], 'rolling', '2026-01-16T01:00:00.000Z')]);
    expect(m.balance).toBe(50);
    expect(m.totals.expired).toBe(70);
    // The spent-and-expired batch is pruned; the live one stays.
    expect(m.batches.map((b) => b.eventId)).toEqual([e2.id]);
  });

  it('expires no more than the event says', () => {
    const f = eventFactory();
    const hq = eventFactory({ terminalId: 'hq' });
    f.enrolled(M);
    const e1 = f.earned(M, 100);
    const m = run([...f.events, hq.expired(M, 40, [e1.id])]);
    expect(m.balance).toBe(60);
    expect(m.totals.expired).toBe(40);
  });

  it('expires the whole balance after inactivity, keeping debt aside', () => {
    const program = testProgram({ expiry: { mode: 'inactivity', months: 12 } });
    const f = eventFactory();
    const hq = eventFactory({ terminalId: 'hq' });
    const m = run(
      [
        f.enrolled(M, { welcomeBonus: 20 }),
        f.earned(M, 80),
        f.earned(M, 30),
        hq.expired(M, 130, [], 'inactivity'),
      ],
      program,
    );
    expect(m).toMatchObject({ balance: 0, debt: 0, batches: [] });
    expect(m.totals.expired).toBe(130);
  });
});

describe('applyEvent: voids', () => {
  it('voiding an earn removes its batch, purchase, qualifying points and total', () => {
    const f = eventFactory();
    f.enrolled(M, { welcomeBonus: 10 }, '2025-03-01T10:00:00.000Z');
    const earn = f.earned(M, 120, '2025-03-10T10:00:00.000Z', { eligible: 12_000 });
    f.voided(earn);
    const m = run(f.events);
    expect(m).toMatchObject({ balance: 10, debt: 0, purchases: 0, qualifying: {} });
    expect(m.totals.earned).toBe(0);
    expect(m.batches.map((b) => b.eventId)).not.toContain(earn.id);
  });

  it('voiding an earn whose points were spent takes them from other points, then as debt', () => {
    const f = eventFactory();
    f.enrolled(M);
    const earn = f.earned(M, 100);
    f.redeemed(M, 70);
    f.earned(M, 50);
    const spent = run(f.events);
    expect(spent.balance).toBe(80);
    const m = run([...f.events, f.voided(earn)]);
    expect(m).toMatchObject({ balance: 0, debt: 20 });
  });

  it('voiding an earn that repaid debt brings the debt back', () => {
    const f = eventFactory();
    f.enrolled(M);
    f.redeemed(M, 30);
    f.voided(f.earned(M, 50));
    const m = run(f.events);
    expect(m).toMatchObject({ balance: 0, debt: 30 });
  });

  it('voiding a redemption gives the points back to the batches it emptied', () => {
    const f = eventFactory();
    f.enrolled(M);
    f.earned(M, 50);
    f.earned(M, 70);
    const before = run(f.events);
    f.voided(f.redeemed(M, 80));
    const m = run(f.events);
    expect(m.batches).toEqual(before.batches);
    expect(m.totals.redeemed).toBe(0);
  });

  it('voiding an overdrawing redemption reduces the debt it made first', () => {
    const f = eventFactory();
    f.enrolled(M);
    f.earned(M, 40);
    const redeem = f.redeemed(M, 100);
    const m = run(f.events);
    expect(m).toMatchObject({ balance: 0, debt: 60 });
    const back = run([...f.events, f.voided(redeem)]);
    expect(back).toMatchObject({ balance: 40, debt: 0 });
  });

  it('a refund whose batches are gone comes back as a batch of the void', () => {
    const program = testProgram();
    const f = eventFactory();
    f.enrolled(M);
    f.earned(M, 60);
    const redeem = f.redeemed(M, 60);
    f.earned(M, 10); // prunes the emptied batch: without expiry it can never matter again
    expect(run(f.events, program).batches).toHaveLength(1);
    const v = f.voided(redeem);
    const m = run(f.events, program);
    expect(m.balance).toBe(70);
    expect(m.batches.find((b) => b.eventId === v.id)).toMatchObject({
      points: 60,
      remaining: 60,
      expiresAt: null,
    });
  });

  it('voids adjustments both ways and bonuses, action records included', () => {
    const f = eventFactory();
    f.enrolled(M);
    f.earned(M, 100);
    const plus = f.adjusted(M, 30);
    const minus = f.adjusted(M, -10);
    const bonus = f.bonus(M, 15, 'action', undefined, { actionId: 'survey' });
    f.voided(plus);
    f.voided(minus);
    f.voided(bonus);
    const m = run(f.events);
    expect(m.balance).toBe(100);
    expect(m.totals).toMatchObject({ adjustedIn: 0, adjustedOut: 0, bonus: 0 });
    expect(m.actions).toEqual({});
  });

  it('rejects a void of another member’s event', () => {
    const f = eventFactory();
    const m = run([f.enrolled(M)]);
    const other = f.earned('member-2', 10);
    expect(() => applyEvent(m, f.voided(other), plain)).toThrow();
  });
});

describe('applyEvent: paid plans', () => {
  const withPlan = testProgram({
    expiry: { mode: 'rolling', months: 12 },
    plans: [{ id: 'plus', label: 'Plus', fee: 2900, durationDays: 365, joinBonus: 500 }],
  });

  it('credits the join bonus of the plan, from the program version, as a batch of the event', () => {
    const hq = eventFactory({ terminalId: 'hq' });
    const enrolled = hq.enrolled(M, {}, '2025-03-01T09:00:00.000Z');
    const joined = hq.planJoined(M, 'plus', '2026-03-03T09:00:00.000Z', '2025-03-03T09:00:00.000Z', 2900);
    const m = run([enrolled, joined], withPlan);
    expect(m.plan).toEqual({ id: 'plus', until: '2026-03-03T09:00:00.000Z' });
    expect([m.balance, m.totals.bonus]).toEqual([500, 500]);
    expect(m.batches).toEqual([
      {
        eventId: joined.id,
        earnedAt: joined.occurredAt,
        expiresAt: '2026-03-03T09:00:00.000Z',
        points: 500,
        remaining: 500,
      },
    ]);
  });

  it('credits nothing for a plan the program does not list, or when HQ rules the bonus 0', () => {
    const hq = eventFactory({ terminalId: 'hq' });
    const m = run([hq.enrolled(M), hq.planJoined(M, 'gold-club', '2026-01-01T00:00:00.000Z')], withPlan);
    expect(m.balance).toBe(0);
    const ruled = applyEvent(m, hq.planJoined(M, 'plus', '2026-01-01T00:00:00.000Z'), withPlan, undefined, {
      points: 0,
    });
    expect([ruled.plan?.id, ruled.balance, ruled.totals.bonus]).toEqual(['plus', 0, 0]);
  });
});

describe('applyEvent: HQ ruling', () => {
  /** A member with 1,000 points, then one event applied at a ruled figure. */
  function ruled(make: (f: ReturnType<typeof eventFactory>) => LedgerEvent, points: number) {
    const f = eventFactory();
    const base = run([f.enrolled(M), f.adjusted(M, 1000)], plain);
    const event = make(f);
    const m = applyEvent(base, event, plain, undefined, { points });
    expect(memberInvariantProblems(m)).toEqual([]);
    return { f, base, event, m };
  }

  it('replaces the claimed figure everywhere the event type uses points', () => {
    const earn = ruled((f) => f.earned(M, 500, '2025-03-10T10:00:00.000Z'), 120);
    expect([
      earn.m.balance,
      earn.m.totals.earned,
      earn.m.qualifying['2025-03']?.points,
      earn.m.purchases,
    ]).toEqual([1120, 120, 120, 1]);
    const redeem = ruled((f) => f.redeemed(M, 1), 150);
    expect([redeem.m.balance, redeem.m.totals.redeemed]).toEqual([850, 150]);
    const adjust = ruled((f) => f.adjusted(M, 5000), 300);
    expect([adjust.m.balance, adjust.m.totals.adjustedIn]).toEqual([1300, 1300]);
    const zero = ruled((f) => f.adjusted(M, 5000), 0);
    expect([zero.m.balance, zero.m.totals.adjustedIn, zero.m.totals.adjustedOut]).toEqual([1000, 1000, 0]);
    const bonus = ruled((f) => f.bonus(M, 5000, 'action', undefined, { actionId: 'review' }), 15);
    expect([bonus.m.balance, bonus.m.totals.bonus, bonus.m.actions.review]).toEqual([
      1015,
      15,
      [bonus.event.occurredAt],
    ]);
    const refused = ruled((f) => f.bonus(M, 15, 'action', undefined, { actionId: 'review' }), 0);
    expect([refused.m.balance, refused.m.actions]).toEqual([1000, {}]);
    const welcome = applyEvent(null, eventFactory().enrolled(M, { welcomeBonus: 5000 }), plain, undefined, {
      points: 50,
    });
    expect([welcome.balance, welcome.totals.bonus]).toEqual([50, 50]);
  });

  it('without points, or without a ruling, applies the claim as today', () => {
    const a = ruled((f) => f.earned(M, 500), 500).m;
    const f = eventFactory();
    const base = run([f.enrolled(M), f.adjusted(M, 1000)], plain);
    const earn = f.earned(M, 500);
    expect(applyEvent(base, earn, plain, undefined, {})).toEqual(applyEvent(base, earn, plain));
    expect(applyEvent(base, earn, plain).balance).toBe(a.balance);
  });

  it('a void given the figure its original was applied at restores the member exactly', () => {
    for (const [make, points] of [
      [(f: ReturnType<typeof eventFactory>) => f.earned(M, 500), 120],
      [(f: ReturnType<typeof eventFactory>) => f.redeemed(M, 1), 150],
      [(f: ReturnType<typeof eventFactory>) => f.redeemed(M, 1), 1500],
      [(f: ReturnType<typeof eventFactory>) => f.adjusted(M, 5000), 300],
      [(f: ReturnType<typeof eventFactory>) => f.adjusted(M, -50), -50],
      [(f: ReturnType<typeof eventFactory>) => f.bonus(M, 5000, 'action', undefined, { actionId: 'a' }), 15],
    ] as const) {
      const { f, base, event, m } = ruled(make, points);
      const undone = applyEvent(m, f.voided(event as VoidableEvent), plain, undefined, { points });
      expect(memberInvariantProblems(undone)).toEqual([]);
      expect([undone.balance, undone.debt, undone.actions], event.type).toEqual([
        base.balance,
        base.debt,
        {},
      ]);
      expect(undone.totals).toEqual(base.totals);
    }
  });

  it('refuses a ruling that is not a figure for the event (RangeError)', () => {
    const f = eventFactory();
    const base = run([f.enrolled(M), f.adjusted(M, 1000)], plain);
    const bad = (event: LedgerEvent, points: number) => () =>
      applyEvent(base, event, plain, undefined, { points });
    expect(bad(f.earned(M, 10), -1)).toThrow(RangeError);
    expect(bad(f.earned(M, 10), 1.5)).toThrow(RangeError);
    expect(bad(f.earned(M, 10), MAX_POINTS + 1)).toThrow(RangeError);
    expect(bad(f.adjusted(M, 10), -10)).toThrow(RangeError);
    expect(bad(f.adjusted(M, -10), 10)).toThrow(RangeError);
    expect(bad(f.updated(M, { displayName: 'Ada K.' }), 0)).toThrow(/moves no points/);
  });
});

describe('applyEvent: the points bound', () => {
  it('refuses an event that would bring a balance, debt or total beyond MAX_POINTS', () => {
    const f = eventFactory();
    const m = run([f.enrolled(M), f.earned(M, 600_000_000)], plain);
    expect(() => applyEvent(m, f.earned(M, 600_000_000), plain)).toThrow(RangeError);
    expect(() => applyEvent(m, f.earned(M, 600_000_000), plain)).toThrow(
      /balance to 1200000000, beyond 1000000000/,
    );
    const spent = applyEvent(m, f.redeemed(M, 600_000_000), plain);
    expect(() => applyEvent(spent, f.redeemed(M, 600_000_000), plain)).toThrow(/totals.redeemed/);
    const g = eventFactory({ terminalId: 't-2' });
    const owing = run([g.enrolled('member-2'), g.adjusted('member-2', -MAX_POINTS)], plain);
    expect(owing.debt).toBe(MAX_POINTS);
    expect(() => applyEvent(owing, g.redeemed('member-2', 1), plain)).toThrow(/debt to 1000000001/);
    const atBound = applyEvent(m, f.earned(M, 400_000_000), plain);
    expect(atBound.balance).toBe(MAX_POINTS);
  });
});

describe('event points bound (the schema)', () => {
  const over = MAX_POINTS + 1;
  /** Paths of the problems ledgerEventSchema reports for an event with one field changed. */
  function problems(event: LedgerEvent, payload: Record<string, unknown>): string[] {
    const parsed = ledgerEventSchema.safeParse({ ...event, payload: { ...event.payload, ...payload } });
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  }

  it('refuses every points field beyond ±MAX_POINTS, at its path, and accepts the bound', () => {
    const f = eventFactory();
    const earn = f.earned(M, 10);
    expect(problems(earn, { points: over })).toEqual(['payload.points']);
    expect(problems(earn, { points: MAX_POINTS })).toEqual([]);
    expect(problems(earn, { explanation: [{ ruleId: 'x', label: 'x', points: -over, detail: '' }] })).toEqual(
      ['payload.explanation.0.points'],
    );
    const redeem = f.redeemed(M, 10);
    expect(problems(redeem, { cost: over })).toEqual(['payload.cost']);
    expect(problems(redeem, { override: { managerId: 'm-1', points: over } })).toEqual([
      'payload.override.points',
    ]);
    expect(
      problems(redeem, { offlinePeriod: { since: '2025-03-03T09:00:00.000Z', allowance: over } }),
    ).toEqual(['payload.offlinePeriod.allowance']);
    expect(problems(f.adjusted(M, 10), { points: -over })).toEqual(['payload.points']);
    expect(problems(f.adjusted(M, 10), { points: -MAX_POINTS })).toEqual([]);
    expect(problems(f.bonus(M, 10), { points: over })).toEqual(['payload.points']);
    expect(problems(f.enrolled(M), { welcomeBonus: over })).toEqual(['payload.welcomeBonus']);
    expect(problems(f.expired(M, 10, []), { points: over })).toEqual(['payload.points']);
  });
});

describe('emptyMember', () => {
  it('satisfies the invariants', () => {
    expect(memberInvariantProblems(emptyMember(M, '2025-01-01T00:00:00.000Z'))).toEqual([]);
  });

  it('invariant checker reports inconsistent members', () => {
    const bad = { ...emptyMember(M, '2025-01-01T00:00:00.000Z'), balance: 5, debt: 2 };
    expect(memberInvariantProblems(bad)).toHaveLength(2);
  });
});
