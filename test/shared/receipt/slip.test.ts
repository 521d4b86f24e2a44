// The member's slip: built from the recorded event, the member as shown after it and the program; laid out
// for the printer's width. The same lines go on screen and on paper.
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import {
  ENGLISH_SLIP_WORDS,
  buildSlip,
  groupDigits,
  layoutSlip,
  slipDateTime,
  slipSchema,
  type Slip,
  type SlipInput,
  type SlipWords,
} from '../../../src-shared/receipt/slip.js';
import { eventFactory, testProgram } from '../../support/events.js';

const M = 'member-1';
const LOYALTY_CARD = '0412345678901';
const PAN = '4111111111111111';

const program = testProgram({
  expiry: { mode: 'rolling', months: 2 },
  rewards: [{ id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'coffee', cost: 150 }],
});

function fold(events: readonly LedgerEvent[], posted: number): { member: Member; hq: Member | null } {
  let member: Member | null = null;
  let hq: Member | null = null;
  events.forEach((e, i) => {
    member = applyEvent(member, e, program, i < posted ? i + 1 : undefined);
    if (i < posted) hq = member;
  });
  if (member === null) throw new Error('no member');
  return { member, hq };
}

const input = (event: SlipInput['event'], shown: SlipInput['shown']): SlipInput => ({
  event,
  shown,
  program,
  store: { id: 's-1', name: 'Main Street' },
  cashier: { name: 'Ann' },
  expiringWithinDays: 30,
});

const texts = (slip: Slip): string[] => layoutSlip(slip, 42).map((l) => l.text);

describe('the slip', () => {
  it('tells a sale: store, local time, cashier, member, basket total, points and the pending balance', () => {
    const t = eventFactory({ terminalId: 'till-3', start: '2025-07-01T16:05:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Anna K.', cards: [LOYALTY_CARD], welcomeBonus: 0 });
    const earned = t.earned(M, 1234, undefined, { total: 123_450 });
    const slip = buildSlip(input(earned, fold([enrolled, earned], 1)));
    expect(slip.kind).toBe('earn');
    expect(slip.eventId).toBe(earned.id);
    const lines = texts(slip);
    expect(lines).toContain('Store Main Street, terminal till-3');
    // 16:06 UTC is 18:06 in Paris (summer time): the store's clock, not the machine's.
    expect(lines).toContain('2025-07-01 18:06');
    expect(lines).toContain('Cashier: Ann');
    expect(lines.some((l) => /^Member +Anna K\.$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Card +ending 8901$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Purchase total +1234\.50 EUR$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Points earned +\+1,234$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Balance \(pending\) +1,234 points$/.test(l))).toBe(true);
    expect(lines).toContain('Pending: not yet confirmed by HQ.');
    expect(lines.every((l) => l.length <= 42)).toBe(true);
    expect(slipSchema.parse(slip)).toEqual(slip);
  });

  it("writes the caller's words, money and numbers (a store's language), and English without them", () => {
    const t = eventFactory({ terminalId: 'till-3', start: '2025-07-01T16:05:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Anna K.', cards: [LOYALTY_CARD], welcomeBonus: 0 });
    const earned = t.earned(M, 1234, undefined, { total: 123_450 });
    const shown = fold([enrolled, earned], 1);
    const french: SlipWords = {
      ...ENGLISH_SLIP_WORDS,
      money: (amount, currency) => `${amount / 100} ${currency}`.replace('.', ','),
      number: (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' '),
      points: (n) => `${n} pts`,
      cashier: (name) => `Caissier : ${name}`,
      purchaseTotal: 'Total des achats',
      pointsEarned: 'Points gagnés',
      balancePending: 'Solde (en attente)',
    };
    const lines = texts(buildSlip({ ...input(earned, shown), words: french }));
    expect(lines).toContain('Caissier : Ann');
    expect(lines.some((l) => /^Total des achats +1234,5 EUR$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Points gagnés +\+1 234$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Solde \(en attente\) +1234 pts$/.test(l))).toBe(true);
    // No words given: English, the same as the English words given.
    expect(buildSlip(input(earned, shown))).toEqual(
      buildSlip({ ...input(earned, shown), words: ENGLISH_SLIP_WORDS }),
    );
  });

  it('drops "pending" once HQ has posted the event, and warns of points expiring soon', () => {
    const t = eventFactory({ start: '2025-02-01T10:00:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Bo L.' });
    const earned = t.earned(M, 80);
    const later = t.earned(M, 20, '2025-03-15T10:00:00.000Z');
    // The first earn (Feb 1) expires Apr 1: within 30 days of Mar 15; the second (May 15) does not.
    const lines = texts(buildSlip(input(later, fold([enrolled, earned, later], 3))));
    expect(lines.some((l) => /^Balance +100 points$/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('pending'))).toBe(false);
    expect(lines).toContain('80 points expire within 30 days');
  });

  it('says nothing of expiry when nothing expires soon', () => {
    const t = eventFactory({ start: '2025-02-01T10:00:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Bo L.' });
    const earned = t.earned(M, 80);
    const lines = texts(buildSlip(input(earned, fold([enrolled, earned], 2))));
    expect(lines.some((l) => l.includes('expire'))).toBe(false);
  });

  it('tells a redemption with the reward, its cost and the new balance', () => {
    const t = eventFactory();
    const enrolled = t.enrolled(M, { displayName: 'Anna K.' });
    const earned = t.earned(M, 500);
    const redeemed = t.redeemed(M, 300, undefined, { rewardId: 'coffee', quantity: 2 });
    const slip = buildSlip(input(redeemed, fold([enrolled, earned, redeemed], 2)));
    expect(slip.kind).toBe('redeem');
    const lines = texts(slip);
    expect(lines).toContain('Reward redeemed');
    expect(lines.some((l) => /^2 x Free coffee +-300$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Balance \(pending\) +200 points$/.test(l))).toBe(true);
    // A member with no card shows no card line.
    expect(lines.some((l) => l.startsWith('Card'))).toBe(false);
  });

  it('welcomes a new member with the welcome bonus, pending until HQ has the member', () => {
    const t = eventFactory();
    const enrolled = t.enrolled(M, { displayName: 'Cy D.', welcomeBonus: 50, cards: [LOYALTY_CARD] });
    const slip = buildSlip(input(enrolled, fold([enrolled], 0)));
    expect(slip.kind).toBe('enroll');
    const lines = texts(slip);
    expect(lines).toContain('Welcome to Test program!');
    expect(lines.some((l) => /^Welcome bonus +\+50$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Balance \(pending\) +50 points$/.test(l))).toBe(true);
  });

  it('tells a return: the sale it comes from, the lines back by SKU and units, the points taken back', () => {
    const t = eventFactory({ start: '2025-07-01T16:05:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Anna K.' });
    const earned = t.earned(M, 120);
    const returned = t.seal('points-returned', M, {
      original: earned,
      lines: [{ line: 0, sku: 'item', quantity: 1 }],
      points: 45,
      spend: 4500,
      reason: 'Damaged',
      managerId: 'm-1',
    });
    const slip = buildSlip(input(returned, fold([enrolled, earned, returned], 2)));
    expect(slip.kind).toBe('return');
    expect(slip.eventId).toBe(returned.id);
    const lines = texts(slip);
    expect(lines).toContain('Items returned');
    expect(lines.some((l) => /^From sale of +2025-07-01 18:06$/.test(l))).toBe(true);
    expect(lines.some((l) => new RegExp(`^Sale ref +${earned.id.slice(-12)}$`).test(l))).toBe(true);
    expect(lines.some((l) => /^1 x item +line 1$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Points taken back +-45$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Balance \(pending\) +75 points$/.test(l))).toBe(true);
    expect(slipSchema.parse(slip)).toEqual(slip);
  });

  it('lists at most ten returned lines and counts the rest, within the slip schema', () => {
    const t = eventFactory();
    const enrolled = t.enrolled(M, { displayName: 'Anna K.' });
    const sale = t.earned(M, 100);
    const lines = Array.from({ length: 13 }, (_, i) => ({
      sku: `sku-${i}`,
      category: 'general',
      quantity: 1,
      unitPrice: 100,
      discount: 0,
    }));
    const many = { ...sale, payload: { ...sale.payload, lines } };
    const returned = t.seal('points-returned', M, {
      original: many,
      lines: lines.map((l, i) => ({ line: i, sku: l.sku, quantity: 1 })),
      points: 13,
      spend: 1300,
      reason: 'All back',
      managerId: 'm-1',
    });
    const slip = buildSlip(input(returned, fold([enrolled, sale, returned], 3)));
    const laid = texts(slip);
    expect(laid.filter((l) => /^1 x sku-\d+ +line \d+$/.test(l))).toHaveLength(10);
    expect(laid.some((l) => /^1 x sku-10 /.test(l))).toBe(false);
    expect(laid).toContain('and 3 more lines');
    expect(slipSchema.parse(slip)).toEqual(slip);
  });

  it('never carries a payment card number: the schema refuses a slip with one', () => {
    const t = eventFactory();
    const enrolled = t.enrolled(M, { displayName: 'Anna K.', cards: [LOYALTY_CARD] });
    const slip = buildSlip(input(enrolled, fold([enrolled], 0)));
    expect(JSON.stringify(slip)).not.toContain(LOYALTY_CARD);
    const tampered: Slip = { ...slip, lines: [...slip.lines, { kind: 'text', text: PAN, style: 'plain' }] };
    expect(slipSchema.safeParse(tampered).success).toBe(false);
    const spaced = { kind: 'pair', label: 'Card', value: '4111 1111 1111 1111', strong: false } as const;
    expect(slipSchema.safeParse({ ...slip, lines: [spaced] }).success).toBe(false);
  });

  it('lays out pairs to the width and wraps what does not fit', () => {
    const slip: Slip = {
      kind: 'earn',
      eventId: '01890a5d-ac96-774b-bcce-b302099a8057',
      lines: [
        { kind: 'text', text: 'A program with quite a long name', style: 'title' },
        { kind: 'pair', label: 'Points', value: '+5', strong: true },
        { kind: 'pair', label: 'A label far too long for the line', value: 'and its value', strong: false },
        { kind: 'rule' },
      ],
    };
    const laid = layoutSlip(slip, 32);
    expect(laid.every((l) => l.text.length <= 32)).toBe(true);
    expect(laid.filter((l) => l.large).map((l) => l.text)).toEqual([
      'A program with',
      'quite a long',
      'name',
    ]);
    expect(laid.find((l) => l.text.startsWith('Points'))).toEqual({
      text: `Points${' '.repeat(24)}+5`,
      align: 'left',
      bold: true,
      large: false,
    });
    expect(laid.map((l) => l.text)).toContain(`${' '.repeat(19)}and its value`);
    expect(laid.at(-1)?.text).toBe('-'.repeat(32));
  });

  it('formats points and local times without a locale', () => {
    expect(groupDigits(0)).toBe('0');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1_000_000)).toBe('1,000,000');
    expect(groupDigits(-12_345)).toBe('-12,345');
    expect(slipDateTime('2025-12-31T23:30:00.000Z', 'Europe/Paris')).toBe('2026-01-01 00:30');
    expect(slipDateTime('2025-12-31T23:30:00.000Z', 'America/New_York')).toBe('2025-12-31 18:30');
  });
});
