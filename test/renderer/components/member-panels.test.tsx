// What the member view says beyond the balance: points about to expire (from the engine's expiringSoon, so
// the cashier can suggest spending them), the perks of the member's tier, and search results told apart.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BalancePanel, EXPIRING_SOON_DAYS } from '../../../src-renderer/components/balance-panel.js';
import { MemberResult } from '../../../src-renderer/components/member-card.js';
import { MemberHistoryList } from '../../../src-renderer/components/member-history.js';
import type { EventRow } from '../../../src-renderer/db/schemas.js';
import { TierProgressView } from '../../../src-renderer/components/tier-progress.js';
import type { ShownMember } from '../../../src-renderer/services/index.js';
import { expiringSoon } from '../../../src-shared/engine/expiry.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { textOf } from '../../support/render-text.js';

const now = Date.parse('2025-03-03T12:00:00Z');
const text = textOf;

function shown(member: Member): ShownMember {
  return {
    member,
    hq: member,
    provisional: false,
    balance: { confirmed: member.balance, pending: 0, total: member.balance },
    pendingEvents: 0,
  };
}

describe('BalancePanel', () => {
  it('says how many points expire within the window, and nothing when none do', () => {
    const program = testProgram({ expiry: { mode: 'rolling', months: 12 } });
    const member: Member = {
      ...emptyMember('m-1', '2024-01-01T10:00:00Z'),
      balance: 300,
      batches: [
        // Expires 20 March 2025: within 30 days of 3 March 2025; the second batch does not.
        {
          eventId: 'e-1',
          earnedAt: '2024-03-20T10:00:00Z',
          expiresAt: '2025-03-20T10:00:00Z',
          points: 120,
          remaining: 120,
        },
        {
          eventId: 'e-2',
          earnedAt: '2025-02-01T10:00:00Z',
          expiresAt: '2026-02-01T10:00:00Z',
          points: 180,
          remaining: 180,
        },
      ],
    };
    const soon = expiringSoon(member, program, now, EXPIRING_SOON_DAYS);
    expect(soon).toBe(120);
    const html = renderToStaticMarkup(
      <BalancePanel shown={shown(member)} offlineAllowance={null} expiringSoon={soon} />,
    );
    expect(text(html)).toContain(`120 points expire within ${EXPIRING_SOON_DAYS} days`);
    const none = renderToStaticMarkup(
      <BalancePanel shown={shown(member)} offlineAllowance={null} expiringSoon={0} />,
    );
    expect(text(none)).not.toContain('expire');
  });
});

describe('TierProgressView perks', () => {
  it("lists the perks of the member's tier", () => {
    const program = testProgram({
      tiers: {
        basis: 'points',
        windowMonths: 12,
        levels: [
          { id: 'silver', label: 'Silver', threshold: 0 },
          { id: 'gold', label: 'Gold', threshold: 1000, perks: ['Free delivery', 'Early access to sales'] },
        ],
      },
    });
    const gold = { ...emptyMember('m-2', '2024-01-01T10:00:00Z'), tier: 'gold' };
    const html = renderToStaticMarkup(<TierProgressView member={gold} program={program} now={now} />);
    expect(text(html)).toContain('Perks: Free delivery · Early access to sales');
    const silver = renderToStaticMarkup(
      <TierProgressView member={emptyMember('m-3', '2024-01-01T10:00:00Z')} program={program} now={now} />,
    );
    expect(text(silver)).not.toContain('Perks');
  });
});

describe('MemberResult', () => {
  it('tells two members of one name apart: card and phone last digits, member since, balance', () => {
    const ann = {
      ...emptyMember('m-4', '2024-03-15T10:00:00Z'),
      displayName: 'Jack B.',
      cards: ['0400000011110'],
      phoneLast4: '4567',
      balance: 250,
    };
    const html = renderToStaticMarkup(
      <MemberResult shown={shown(ann)} onOpen={() => undefined} timeZone="Europe/Paris" />,
    );
    expect(text(html)).toContain('Jack B.');
    expect(text(html)).toMatch(/card \S*1110 · phone …4567 · since Mar 2024 · 250 points/);
  });
});

describe('MemberHistoryList', () => {
  it('lists events newest first with what happened and where HQ stands on each', () => {
    const f = eventFactory({ terminalId: 't-1', storeId: 's-1' });
    const enrolled = f.enrolled('m-5', { welcomeBonus: 50 }, '2025-03-01T09:00:00Z');
    const earned = f.earned('m-5', 12, '2025-03-02T10:00:00Z');
    const voided = f.voided(earned, '2025-03-02T10:05:00Z');
    const row = (event: LedgerEvent, status: EventRow['status']): EventRow =>
      ({
        id: event.id,
        terminalId: event.terminalId,
        terminalSeq: event.terminalSeq,
        memberId: event.memberId,
        type: event.type,
        occurredAt: event.occurredAt,
        event,
        status,
        memberSeq: null,
      }) as EventRow;
    const html = renderToStaticMarkup(
      <MemberHistoryList
        rows={[row(voided, 'local'), row(earned, 'flagged'), row(enrolled, 'posted')]}
        program={testProgram()}
      />,
    );
    const lines = [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => text(m[1] ?? ''));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/Void of sale .*: \+12 points pending$/);
    expect(lines[1]).toMatch(/Sale .*: \+12 points flagged for review$/);
    expect(lines[2]).toMatch(/Enrolled: \+50 points welcome posted$/);
    expect(text(renderToStaticMarkup(<MemberHistoryList rows={[]} program={null} />))).toBe(
      'No transactions at this till yet.',
    );
  });
});
