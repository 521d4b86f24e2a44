// The balance shown at the counter: HQ's member plus this terminal's unposted events, right whichever of
// the member document and the posting status arrives first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent, VoidableEvent } from '../../../src-shared/ledger/events.js';
import { netPoints, type Member } from '../../../src-shared/ledger/member.js';
import {
  isPending,
  memberWithPending,
  pendingEvents,
  shownBalance,
  type LocalEvent,
} from '../../../src-shared/ledger/pending.js';
import { eventFactory, testProgram } from '../../support/events.js';

const M = 'member-1';
const program = testProgram({ expiry: { mode: 'rolling', months: 12 } });

/** HQ posting events in order: the member after each, with memberSeq = position + 1. */
function post(events: readonly LedgerEvent[]): Member[] {
  const states: Member[] = [];
  let m: Member | null = null;
  events.forEach((e, i) => {
    m = applyEvent(m, e, program, i + 1);
    states.push(m);
  });
  return states;
}

describe('pending events and the shown balance', () => {
  it('shows a member enrolled here before HQ has it', () => {
    const t = eventFactory();
    const local: LocalEvent[] = [t.enrolled(M, { welcomeBonus: 20 }), t.earned(M, 30)].map((event) => ({
      event,
      memberSeq: null,
    }));
    expect(shownBalance(null, local, program, M)).toEqual({ confirmed: 0, pending: 50, total: 50 });
    expect(memberWithPending(null, local, program, M)?.balance).toBe(50);
  });

  it('counts an event once whether the member or the posting status arrives first', () => {
    const t = eventFactory();
    const events = [t.enrolled(M), t.earned(M, 100), t.redeemed(M, 40)];
    const [s1, s2, s3] = post(events) as [Member, Member, Member];
    // Member at seq 2 and no status yet: the redemption is pending; the earn is already seen.
    const noStatus: LocalEvent[] = events.map((event) => ({ event, memberSeq: null }));
    expect(shownBalance(s2, noStatus, program)).toEqual({ confirmed: 100, pending: -40, total: 60 });
    expect(pendingEvents(s2, noStatus).map((e) => e.event.id)).toEqual([events[2]?.id]);
    // Status arrived first (memberSeq 3) while the member is still at seq 2: pending.
    const withStatus: LocalEvent[] = events.map((event, i) => ({ event, memberSeq: i + 1 }));
    expect(isPending(s2, withStatus[2] as LocalEvent)).toBe(true);
    expect(shownBalance(s2, withStatus, program).total).toBe(60);
    // Member at seq 3: nothing pending, either way.
    expect(shownBalance(s3, withStatus, program)).toEqual({ confirmed: 60, pending: 0, total: 60 });
    expect(shownBalance(s3, noStatus, program)).toEqual({ confirmed: 60, pending: 0, total: 60 });
    expect(isPending(s1, withStatus[0] as LocalEvent)).toBe(false);
  });

  it('ignores other members’ events and skips what cannot be projected without a member', () => {
    const t = eventFactory();
    const other = t.earned('member-2', 10);
    const mine = t.earned(M, 10);
    const local: LocalEvent[] = [other, mine].map((event) => ({ event, memberSeq: null }));
    expect(memberWithPending(null, local, program, M)).toBeNull();
    expect(shownBalance(null, local, program, M)).toEqual({ confirmed: 0, pending: 0, total: 0 });
  });

  it('includes other terminals’ posted events through HQ’s member only', () => {
    const t = eventFactory({ terminalId: 't-1' });
    const u = eventFactory({ terminalId: 't-2' });
    const events = [t.enrolled(M), u.earned(M, 200), t.redeemed(M, 50)];
    const states = post(events);
    const local: LocalEvent[] = [events[0], events[2]].map((event) => ({
      event: event as LedgerEvent,
      memberSeq: null,
    }));
    expect(shownBalance(states[1] as Member, local, program)).toEqual({
      confirmed: 200,
      pending: -50,
      total: 150,
    });
  });
});

type Step =
  | { kind: 'earn'; points: number }
  | { kind: 'redeem'; cost: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'void'; pick: number };
const stepArb: fc.Arbitrary<{ step: Step; here: boolean; dt: number }> = fc.record({
  step: fc.oneof(
    fc.record({ kind: fc.constant('earn' as const), points: fc.integer({ min: 0, max: 300 }) }),
    fc.record({ kind: fc.constant('redeem' as const), cost: fc.integer({ min: 1, max: 300 }) }),
    fc.record({
      kind: fc.constant('adjust' as const),
      points: fc.integer({ min: -100, max: 100 }).filter((p) => p !== 0),
    }),
    fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
  ),
  here: fc.boolean(),
  dt: fc.integer({ min: -3 * 24 * 60, max: 10 * 24 * 60 }),
});

describe('shown balance property', () => {
  it('equals HQ’s net after this terminal’s events, for any member snapshot and any status knowledge', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 25 }),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (steps, k0, statusKnown) => {
          // This terminal (t-1) and another (t-2) make events; HQ posts them in this order.
          const here = eventFactory({ terminalId: 't-1' });
          const there = eventFactory({ terminalId: 't-2' });
          let now = Date.parse('2025-05-01T08:00:00.000Z');
          const events: LedgerEvent[] = [here.enrolled(M, { welcomeBonus: 10 }, now)];
          const open: VoidableEvent[] = [];
          for (const { step, here: isHere, dt } of steps) {
            now += dt * 60_000;
            const f = isHere ? here : there;
            let e: LedgerEvent | undefined;
            if (step.kind === 'earn') e = f.earned(M, step.points, now);
            else if (step.kind === 'redeem') e = f.redeemed(M, step.cost, now, { mode: 'offline' });
            else if (step.kind === 'adjust') e = f.adjusted(M, step.points, now);
            else {
              const original = open.splice(step.pick % Math.max(1, open.length), 1)[0];
              if (original) e = f.voided(original, now);
            }
            if (!e) continue;
            if (e.type !== 'event-voided') open.push(e as VoidableEvent);
            events.push(e);
          }
          const states = post(events);
          const k = k0 % (events.length + 1); // the member snapshot the terminal holds (0: none yet)
          const snapshot = k === 0 ? null : (states[k - 1] as Member);
          // This terminal's events; HQ's posting status (memberSeq) known for some, before or after the snapshot.
          const local: LocalEvent[] = events.flatMap((event, i) =>
            event.terminalId === 't-1' ? [{ event, memberSeq: statusKnown[i % 30] ? i + 1 : null }] : [],
          );
          // Expected: HQ's projection of everything in the snapshot plus all of this terminal's events.
          const expected = events
            .filter((e, i) => i < k || e.terminalId === 't-1')
            .reduce<Member | null>((m, e) => applyEvent(m, e, program), null);
          const shown = shownBalance(snapshot, local, program, M);
          expect(shown.total).toBe(netPoints(expected as Member));
          expect(shown.confirmed).toBe(snapshot ? netPoints(snapshot) : 0);
          expect(shown.confirmed + shown.pending).toBe(shown.total);
          if (k === events.length) expect(shown.total).toBe(netPoints(states.at(-1) as Member));
          // Once HQ's final member is there, nothing is pending.
          const final = states.at(-1) as Member;
          expect(local.filter((e) => isPending(final, e))).toEqual([]);
          expect(shownBalance(final, local, program).pending).toBe(0);
        },
      ),
      { numRuns: 400 },
    );
  });
});
