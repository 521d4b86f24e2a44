// Selling a plan and awarding an action through the counter services, on a real replica (fake IndexedDB,
// RxDB) against a scripted HQ: the events carry the program's figures, the member shown takes them at
// once, and the shared rules refuse what the program does not allow, inside the ledger's lock.
import { afterEach, describe, expect, it } from 'vitest';
import { actionStanding } from '../../../src-shared/engine/actions.js';
import { DAY_MS, ManualClock } from '../../../src-shared/kernel/clock.js';
import { programSchema, type Program } from '../../../src-shared/program/schema.js';
import { exampleProgram } from '../../support/hq.js';
import { openTestTerminal, TEST_CASHIER as CASHIER, type TestTerminal } from '../../support/terminal.js';
import { FakeHq } from '../support/scripted-hq.js';

const NOW = '2026-03-11T10:00:00.000Z';

/** The paid-membership example with two actions: one a day, and one in a member's lifetime. */
function program(): Program {
  const base = exampleProgram('paid-membership');
  return programSchema.parse({
    ...base,
    actions: [
      { id: 'review', label: 'Review written', points: 25, limit: { count: 2, period: 'day' } },
      { id: 'app', label: 'App installed', points: 15, limit: { count: 1, period: 'lifetime' } },
    ],
  });
}

let till: TestTerminal | null = null;
afterEach(async () => {
  await till?.close();
  till = null;
});

async function open(clock: ManualClock) {
  const hq = new FakeHq(program());
  till = await openTestTerminal({ api: hq, clock, backoff: { initialMs: 10, maxMs: 50 } });
  const t = till;
  await t.until((s) => s.initialDone && s.replica !== null);
  const enrolled = await t.terminal.services.recordEnroll({ cashierId: CASHIER, displayName: 'Ann B.' });
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  await t.untilEvent(enrolled.value.event.id);
  return { hq, t, services: t.terminal.services, memberId: enrolled.value.event.memberId };
}

describe('selling a plan at the counter', () => {
  it('records the plan with the program fee and its end, and the member shown has it and its join bonus', async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { hq, t, services, memberId } = await open(clock);
    const before = await services.member(memberId);

    const sold = await services.recordPlanJoin({
      cashierId: CASHIER,
      memberId,
      planId: 'readers-plus-annual',
    });
    if (!sold.ok) throw new Error(sold.error.message);
    expect(sold.value.event).toMatchObject({
      type: 'plan-joined',
      memberId,
      cashierId: CASHIER,
      occurredAt: NOW,
      programVersion: hq.program.version,
      payload: { planId: 'readers-plus-annual', fee: 2900, until: '2027-03-11T10:00:00.000Z' },
    });
    expect(sold.value.member?.member.plan).toEqual({
      id: 'readers-plus-annual',
      until: '2027-03-11T10:00:00.000Z',
    });
    expect(sold.value.member?.balance.total).toBe((before?.balance.total ?? NaN) + 500);

    // Pushed to HQ as recorded.
    await t.untilEvent(sold.value.event.id);
    expect(hq.stored.get(sold.value.event.id)?.event.payload).toEqual(sold.value.event.payload);
  });

  it('refuses a second sale while the plan runs, saying when it ends, and sells again from its end', async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { services, memberId } = await open(clock);
    const first = await services.recordPlanJoin({
      cashierId: CASHIER,
      memberId,
      planId: 'readers-plus-annual',
    });
    expect(first.ok).toBe(true);

    const again = await services.recordPlanJoin({
      cashierId: CASHIER,
      memberId,
      planId: 'readers-plus-annual',
    });
    expect(again).toMatchObject({
      ok: false,
      error: {
        reason: 'plan-active',
        message: 'Already a Readers Plus (1 year) member until 11 Mar 2027: sell it again once it has ended',
      },
    });
    clock.set(Date.parse(NOW) + 365 * DAY_MS - 1);
    expect(
      await services.recordPlanJoin({ cashierId: CASHIER, memberId, planId: 'readers-plus-annual' }),
    ).toMatchObject({ ok: false, error: { reason: 'plan-active' } });
    clock.set(Date.parse(NOW) + 365 * DAY_MS);
    const renewed = await services.recordPlanJoin({
      cashierId: CASHIER,
      memberId,
      planId: 'readers-plus-annual',
    });
    expect(renewed.ok && renewed.value.event.payload.until).toBe('2028-03-10T10:00:00.000Z');
  });

  it('lets only one of two sales started together through (both decided inside the ledger lock)', async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { services, memberId } = await open(clock);
    const input = { cashierId: CASHIER, memberId, planId: 'readers-plus-annual' };
    const both = await Promise.all([services.recordPlanJoin(input), services.recordPlanJoin(input)]);
    expect(both.map((r) => (r.ok ? 'ok' : r.error.reason)).sort()).toEqual(['ok', 'plan-active']);
  });

  it('refuses a plan the program does not list, and a member it does not know', async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { services, memberId } = await open(clock);
    expect(
      await services.recordPlanJoin({ cashierId: CASHIER, memberId, planId: 'gold-club' }),
    ).toMatchObject({
      ok: false,
      error: { reason: 'plan-unknown', message: 'Unknown plan "gold-club"' },
    });
    const stranger = await services.recordPlanJoin({
      cashierId: CASHIER,
      memberId: '01900000-0000-7000-8000-000000000000',
      planId: 'readers-plus-annual',
    });
    expect(stranger.ok ? 'ok' : stranger.error.reason).toBe('member-unknown');
  });
});

describe('awarding an action at the counter', () => {
  it("records the program's points for the action and counts it in the member's standing", async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { hq, t, services, memberId } = await open(clock);
    const before = await services.member(memberId);
    const standings = async () => {
      const m = await services.member(memberId);
      const p = services.currentProgram();
      if (!m || !p) throw new Error('no member or program');
      return p.actions.map((a) => actionStanding(m.member, a, p.timeZone, clock.now()));
    };
    expect((await standings()).map((s) => [s.action.id, s.used, s.left, s.periodWords])).toEqual([
      ['review', 0, 2, 'today'],
      ['app', 0, 1, 'in total'],
    ]);

    const awarded = await services.recordAction({ cashierId: CASHIER, memberId, actionId: 'review' });
    if (!awarded.ok) throw new Error(awarded.error.message);
    expect(awarded.value.event).toMatchObject({
      type: 'bonus-awarded',
      occurredAt: NOW,
      payload: { kind: 'action', actionId: 'review', points: 25, note: null },
    });
    expect(awarded.value.member?.balance.total).toBe((before?.balance.total ?? NaN) + 25);
    // The member read back (HQ's record and this till's pending award) counts it.
    expect((await standings()).map((s) => [s.action.id, s.used, s.left])).toEqual([
      ['review', 1, 1],
      ['app', 0, 1],
    ]);
    await t.untilEvent(awarded.value.event.id);
    expect(hq.stored.get(awarded.value.event.id)?.event.type).toBe('bonus-awarded');
  });

  it('refuses beyond the limit in the period, and gives it again in the next one', async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { services, memberId } = await open(clock);
    const award = (actionId: string) => services.recordAction({ cashierId: CASHIER, memberId, actionId });
    expect((await award('review')).ok).toBe(true);
    expect((await award('review')).ok).toBe(true);
    expect(await award('review')).toMatchObject({
      ok: false,
      error: { reason: 'limit-reached', message: '"Review written" already given 2 times today (limit 2)' },
    });
    expect((await award('app')).ok).toBe(true);
    expect(await award('app')).toMatchObject({ ok: false, error: { reason: 'limit-reached' } });
    expect(await award('tweet')).toMatchObject({
      ok: false,
      error: { reason: 'action-unknown', message: 'Unknown action "tweet"' },
    });

    clock.advance(DAY_MS);
    expect((await award('review')).ok).toBe(true);
    expect(await award('app')).toMatchObject({ ok: false, error: { reason: 'limit-reached' } });
  });

  it('lets only as many awards through as the limit when they are tapped together', async () => {
    const clock = new ManualClock(Date.parse(NOW));
    const { services, memberId } = await open(clock);
    const input = { cashierId: CASHIER, memberId, actionId: 'review' };
    const all = await Promise.all([1, 2, 3].map(() => services.recordAction(input)));
    expect(all.map((r) => (r.ok ? 'ok' : r.error.reason)).sort()).toEqual(['limit-reached', 'ok', 'ok']);
  });
});
