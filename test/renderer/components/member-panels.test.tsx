// What the member view says beyond the balance: points about to expire (from the engine's expiringSoon, so
// the cashier can suggest spending them), the perks of the member's tier, and search results told apart.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BalancePanel, EXPIRING_SOON_DAYS } from '../../../src-renderer/components/balance-panel.js';
import { MemberResult } from '../../../src-renderer/components/member-card.js';
import { TierProgressView } from '../../../src-renderer/components/tier-progress.js';
import type { ShownMember } from '../../../src-renderer/services/index.js';
import { expiringSoon } from '../../../src-shared/engine/expiry.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { testProgram } from '../../support/events.js';

const now = Date.parse('2025-03-03T12:00:00Z');
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

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
