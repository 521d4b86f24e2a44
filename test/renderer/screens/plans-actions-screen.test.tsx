// What the plans and actions screen shows, from its pure parts: a plan's fee as money, its duration, join
// bonus, multiplier and perks, the member's current plan and its end in the store's zone; an action's
// points and the member's use of its limit; and the screen is one a reload comes back to.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  ActionCard,
  currentPlanText,
  durationText,
  PlanCard,
  standingText,
} from '../../../src-renderer/screens/plans-actions-screen.js';
import { readRoute, writeRoute } from '../../../src-renderer/hooks/counter-memory.js';
import { actionStanding } from '../../../src-shared/engine/actions.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { testProgram } from '../../support/events.js';
import { textOf } from '../../support/render-text.js';

const now = Date.parse('2026-03-11T10:00:00Z');
const text = textOf;

const program = testProgram({
  timeZone: 'Europe/Amsterdam',
  plans: [
    {
      id: 'plus',
      label: 'Readers Plus',
      fee: 2900,
      durationDays: 365,
      multiplier: 2,
      joinBonus: 500,
      perks: ['Free gift wrapping', 'Free home delivery'],
    },
    { id: 'trial', label: 'Trial', fee: 0, durationDays: 30 },
  ],
  actions: [{ id: 'review', label: 'Review written', points: 25, limit: { count: 2, period: 'week' } }],
});
const [plus, trial] = program.plans;
const [review] = program.actions;
if (!plus || !trial || !review) throw new Error('test program without its plans or action');

const member = (overrides: Partial<Member> = {}): Member => ({
  ...emptyMember('m-1', '2025-01-01T10:00:00Z'),
  displayName: 'Ann B.',
  ...overrides,
});
// 23:30 UTC on 31 March is 01:30 on 1 April in Amsterdam: the end is shown in the store's zone.
const holding = member({ plan: { id: 'plus', until: '2026-03-31T23:30:00.000Z' } });

describe('PlanCard', () => {
  const card = (m: Member, plan = plus) =>
    text(
      renderToStaticMarkup(
        <PlanCard plan={plan} program={program} member={m} now={now} onSell={() => undefined} />,
      ),
    );

  it('shows the fee as money, the duration, the join bonus, the multiplier and the perks', () => {
    expect(card(member())).toBe(
      'Readers Plus €29.00 · 1 year Join bonus 500 points · ×2 points on purchases Free gift wrapping Free home delivery',
    );
    expect(card(member(), trial)).toBe('Trial €0.00 · 30 days No join bonus');
  });

  it("marks the member's current plan with its end; another plan, or an ended one, is not marked", () => {
    expect(card(holding)).toContain('Current plan, until 1 Apr 2026');
    expect(card(holding, trial)).not.toContain('Current plan');
    expect(card(member({ plan: { id: 'plus', until: '2026-03-11T10:00:00.000Z' } }))).not.toContain(
      'Current plan',
    );
  });
});

describe('the member and their plan in words', () => {
  it('says the plan running now and its end, or none', () => {
    expect(currentPlanText(holding, program, now)).toBe('Readers Plus until 1 Apr 2026');
    expect(currentPlanText(holding, program, Date.parse('2026-03-31T23:30:00.000Z'))).toBe('No paid plan');
    expect(currentPlanText(member(), program, now)).toBe('No paid plan');
  });

  it('says durations in years when whole, else days', () => {
    expect([1, 30, 365, 730, 400].map(durationText)).toEqual([
      '1 day',
      '30 days',
      '1 year',
      '2 years',
      '400 days',
    ]);
  });
});

describe('ActionCard', () => {
  const card = (m: Member) =>
    text(
      renderToStaticMarkup(
        <ActionCard standing={actionStanding(m, review, program.timeZone, now)} onAward={() => undefined} />,
      ),
    );

  it("shows the action's points and how much of its limit the member used this period", () => {
    expect(card(member())).toBe('Review written +25 points 0 of 2 used this week');
    // Monday 9 March and Wednesday 11 March 2026 are the same ISO week; Sunday 8 March is the week before.
    expect(
      card(member({ actions: { review: ['2026-03-08T12:00:00.000Z', '2026-03-09T12:00:00.000Z'] } })),
    ).toBe('Review written +25 points 1 of 2 used this week');
    const full = member({ actions: { review: ['2026-03-09T12:00:00.000Z', '2026-03-10T12:00:00.000Z'] } });
    expect(card(full)).toBe('Review written +25 points Limit reached: 2 of 2 used this week');
    expect(standingText(actionStanding(full, review, program.timeZone, now))).toBe(
      'Limit reached: 2 of 2 used this week',
    );
  });
});

describe('a reload', () => {
  it('comes back to the plans and actions screen of the same member', () => {
    const store = new Map<string, string>();
    const memory = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    writeRoute(memory, 'c-1', { name: 'plans', memberId: 'm-1' });
    expect(readRoute(memory, 'c-1')).toEqual({ name: 'plans', memberId: 'm-1' });
  });
});
