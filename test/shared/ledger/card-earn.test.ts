// The earn on a card a till did not know (src-shared/ledger/card-earn.ts): the placeholder (only an earn may
// carry one, only a loyalty card fits in one), the stand-in member the till quotes for, and HQ's figure for
// the member it finds: its own quote both ways, an over-claim held, an altered event crediting nothing.
import { describe, expect, it } from 'vitest';
import { quote } from '../../../src-shared/engine/quote.js';
import {
  CARD_EARN_MAX_CARD,
  CARD_EARN_QUOTE_MEMBER,
  cardEarnMemberId,
  cardOfPlaceholder,
  creditForCardEarn,
  isCardEarn,
} from '../../../src-shared/ledger/card-earn.js';
import { ledgerEventSchema } from '../../../src-shared/ledger/events.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import { eventFactory, testProgram } from '../../support/events.js';

const program = testProgram({
  tiers: {
    basis: 'points',
    windowMonths: 12,
    levels: [
      { id: 'silver', label: 'Silver', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 1000, multiplier: 2 },
    ],
  },
});
const CARD = '0400000000555';

describe('card placeholders', () => {
  it('are "card:" and the number, both ways, for a loyalty card that fits in a memberId', () => {
    expect(cardEarnMemberId(CARD)).toBe(`card:${CARD}`);
    expect(cardEarnMemberId(` ${CARD} `)).toBe(`card:${CARD}`);
    expect(cardOfPlaceholder(`card:${CARD}`)).toBe(CARD);
    expect(cardOfPlaceholder('m-1')).toBeNull();
    expect(cardEarnMemberId('7'.repeat(CARD_EARN_MAX_CARD))).toHaveLength(64);
    expect(cardEarnMemberId('7'.repeat(CARD_EARN_MAX_CARD + 1))).toBeNull();
    expect(cardEarnMemberId('')).toBeNull();
    // A payment card is never recorded, not even as a placeholder.
    expect(cardEarnMemberId('4111111111111111')).toBeNull();
    expect(cardOfPlaceholder('card:4111111111111111')).toBeNull();
  });

  it('are taken by the event schema on an earn only', () => {
    const f = eventFactory();
    const earn = f.earned(`card:${CARD}`, 12);
    expect(isCardEarn(earn)).toBe(true);
    expect(ledgerEventSchema.safeParse(earn).success).toBe(true);
    const enrolled = f.enrolled('m-1');
    expect(isCardEarn(enrolled)).toBe(false);
    expect(ledgerEventSchema.safeParse({ ...enrolled, memberId: `card:${CARD}` }).success).toBe(false);
    const redeemed = f.redeemed('m-1', 5);
    expect(ledgerEventSchema.safeParse({ ...redeemed, memberId: `card:${CARD}` }).success).toBe(false);
    expect(ledgerEventSchema.safeParse({ ...earn, memberId: 'card:4111111111111111' }).success).toBe(false);
  });
});

describe('the figure HQ credits the card’s member', () => {
  const f = eventFactory();
  const silver = { ...emptyMember('m-1', '2025-01-01T00:00:00.000Z'), tier: 'silver', purchases: 3 };
  const gold = { ...silver, tier: 'gold' };

  it('is the till’s claim when the member earns what the stand-in earns', () => {
    const earn = f.earned(`card:${CARD}`, 12);
    expect(creditForCardEarn(earn, silver, program, true)).toMatchObject({
      points: 12,
      held: 0,
      finding: null,
    });
  });

  it('is HQ’s own quote for the member when it gives more: the till could not know their tier', () => {
    const earn = f.earned(`card:${CARD}`, 12);
    const credit = creditForCardEarn(earn, gold, program, true);
    expect(credit).toMatchObject({ points: 24, held: 0, finding: null });
    expect(credit.explanation.reduce((sum, line) => sum + line.points, 0)).toBe(24);
  });

  it('cuts an over-claim to HQ’s figure and holds the difference', () => {
    const earn = f.earned(`card:${CARD}`, 50, undefined, { eligible: 3000 });
    const credit = creditForCardEarn(earn, silver, program, true);
    expect(credit).toMatchObject({ points: 30, held: 20 });
    expect(credit.finding?.details).toMatchObject({ quoted: 50, computed: 30, held: 20 });
  });

  it('credits nothing for an altered event and holds the claim whole', () => {
    const earn = f.earned(`card:${CARD}`, 12);
    expect(creditForCardEarn(earn, silver, program, false)).toMatchObject({ points: 0, held: 12 });
  });

  it('starts from a till quote that claims nothing only a member’s own facts give', () => {
    const withFirstPurchase = testProgram({
      earning: {
        rules: [
          { id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 },
          {
            id: 'first',
            label: 'First purchase',
            kind: 'per-visit',
            points: 50,
            conditions: { firstPurchase: true },
          },
        ],
      },
    });
    const basket = {
      currency: 'EUR',
      lines: [{ sku: 'x', category: 'general', quantity: 1, unitPrice: 1000, discount: 0 }],
    };
    const atTill = quote(
      basket,
      CARD_EARN_QUOTE_MEMBER,
      withFirstPurchase,
      Date.parse('2025-03-03T09:00:00Z'),
    );
    const newcomer = { ...emptyMember('m-2', '2025-01-01T00:00:00.000Z') };
    const forNewcomer = quote(basket, newcomer, withFirstPurchase, Date.parse('2025-03-03T09:00:00Z'));
    expect(atTill.points).toBeLessThan(forNewcomer.points);
  });
});
