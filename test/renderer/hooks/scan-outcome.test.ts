// What a scan means at the idle and member screens: a member, an unknown card, a payment card refused
// with none of its digits, a notice for garbage and for codes this till does not know, or a product. And the
// answer every other screen gives: the sale screen, the enrollment form, the manager screen (once).
import { describe, expect, it } from 'vitest';
import { PAYMENT_CARD_MESSAGE, type ScanResult } from '../../../src-shared/scan/index.js';
import { REJECTION_MESSAGES } from '../../../src-shared/scan/result.js';
import {
  enrollScanAnswer,
  maskedCard,
  PAYMENT_CARD_REFUSED,
  saleScanAnswer,
  scanOutcome,
  unknownCodeText,
} from '../../../src-renderer/hooks/scan-outcome.js';
import { ignoredScans } from '../../../src-renderer/hooks/use-scans.js';

const members = new Map([['0490000000016', { id: 'm1' }]]);
/** The lookup as the services answer it online: HQ was asked, so no earn on an unknown card. */
const lookup = (n: string) => {
  const member = members.get(n);
  return Promise.resolve(member ? { member } : { member: null, earnOnCard: false });
};
/** The same with HQ out of reach: an unknown card may earn (src-shared/ledger/card-earn.ts). */
const lookupOffline = (n: string) => {
  const member = members.get(n);
  return Promise.resolve(member ? { member } : { member: null, earnOnCard: true });
};

describe('scanOutcome', () => {
  it('finds the member of a loyalty card, NFC tag or stripe', async () => {
    const card: ScanResult = {
      kind: 'loyalty-card',
      number: '0490000000016',
      via: 'barcode',
      patternId: 'p',
    };
    expect(await scanOutcome(card, lookup)).toEqual({ kind: 'member', member: { id: 'm1' } });
    const other: ScanResult = { ...card, number: '0490000000023' };
    const unknown = await scanOutcome(other, lookup);
    expect(unknown).toMatchObject({ kind: 'unknown-card', number: '0490000000023' });
    expect(unknown.kind === 'unknown-card' && unknown.message).toContain('…0023');
    expect(await scanOutcome({ kind: 'nfc-uid', uid: '04A224B2' }, lookup)).toMatchObject({
      kind: 'unknown-card',
      earnOnCard: false,
    });
    expect(unknown).toMatchObject({ earnOnCard: false });
    expect(unknown.kind === 'unknown-card' && unknown.message).toContain('is not registered');
  });

  it('offers to add the sale’s points to an unknown card only when HQ could not be asked', async () => {
    const card: ScanResult = {
      kind: 'loyalty-card',
      number: '0490000000023',
      via: 'barcode',
      patternId: 'p',
    };
    const offline = await scanOutcome(card, lookupOffline);
    expect(offline).toMatchObject({ kind: 'unknown-card', number: '0490000000023', earnOnCard: true });
    expect(offline.kind === 'unknown-card' && offline.message).toBe(
      "Card …0023 is not on this till and HQ cannot be reached. Add this sale's points to the card: they go to its member when HQ is reached (nothing can be redeemed with it until then). Or enroll a new customer with it.",
    );
    // Typed text is never taken for a card to earn on: a notice, as before.
    const typed: ScanResult = { kind: 'text', symbology: 'code-128', text: '0490000000023' };
    expect(await scanOutcome(typed, lookupOffline)).toMatchObject({ kind: 'notice' });
  });

  it('refuses a payment card and shows none of its digits, not even the last four', async () => {
    const refused: ScanResult = {
      kind: 'refused',
      reason: 'payment-card',
      message: PAYMENT_CARD_MESSAGE,
      brand: 'visa',
      last4: '1111',
    };
    const outcome = await scanOutcome(refused, lookup);
    expect(outcome).toEqual({
      kind: 'refused',
      message: 'A payment card was swiped: refused, nothing kept.',
    });
    expect(outcome.kind === 'refused' && outcome.message).not.toMatch(/\d/);
    const { last4: _omit, ...noDigits } = refused;
    expect(await scanOutcome(noDigits, lookup)).toEqual({ kind: 'refused', message: PAYMENT_CARD_REFUSED });
  });

  it('reports garbage quietly and passes products on', async () => {
    const garbage: ScanResult = {
      kind: 'rejected',
      reason: 'garbage',
      message: REJECTION_MESSAGES.garbage,
    };
    // Said from the reason (i18n/refusals.ts): in English, the classifier's own words.
    expect(await scanOutcome(garbage, lookup)).toEqual({
      kind: 'notice',
      message: REJECTION_MESSAGES.garbage,
    });
    const product: ScanResult = {
      kind: 'product',
      symbology: 'ean-13',
      gtin14: '05394120000008',
      gtin13: '5394120000008',
    };
    expect(await scanOutcome(product, lookup)).toEqual({
      kind: 'product',
      gtin14: '05394120000008',
      gtin13: '5394120000008',
    });
  });

  it('answers a code that is neither a card nor a product with the code itself', async () => {
    const text: ScanResult = { kind: 'text', symbology: 'code-128', text: 'HELLO' };
    expect(await scanOutcome(text, lookup)).toEqual({
      kind: 'notice',
      message: 'Not a card or product this till knows: HELLO',
    });
    const gs1: ScanResult = {
      kind: 'gs1',
      symbology: 'gs1-128',
      elements: [{ ai: '10', label: 'BATCH/LOT', value: 'ABC123' }],
    };
    expect(await scanOutcome(gs1, lookup)).toEqual({
      kind: 'notice',
      message: 'Not a card or product this till knows: (10)ABC123',
    });
    // Text that is a member's card number (typed into a wedge, or a pattern the program lacks) finds them.
    const typedCard: ScanResult = { kind: 'text', symbology: 'code-128', text: '0490000000016' };
    expect(await scanOutcome(typedCard, lookup)).toEqual({ kind: 'member', member: { id: 'm1' } });
  });

  it('echoes an unknown code bounded: control characters shown, long digit runs masked, cut at 40', () => {
    const code = (t: string) => unknownCodeText({ kind: 'text', symbology: 'unknown', text: t });
    expect(code('AB\u0007C')).toBe('Not a card or product this till knows: AB?C');
    expect(code('ID 1234567890123456 X')).toBe('Not a card or product this till knows: ID …3456 X');
    const long = code('X'.repeat(100));
    expect(long).toBe(`Not a card or product this till knows: ${'X'.repeat(40)}…`);
  });

  it('masks card numbers', () => {
    expect(maskedCard('0490000000016')).toBe('…0016');
    expect(maskedCard('123')).toBe('123');
  });
});

describe('the answer of each screen', () => {
  const refused: ScanResult = {
    kind: 'refused',
    reason: 'payment-card',
    message: PAYMENT_CARD_MESSAGE,
    brand: 'visa',
    last4: '1111',
  };
  const text: ScanResult = { kind: 'text', symbology: 'code-128', text: 'HELLO' };
  const card: ScanResult = { kind: 'loyalty-card', number: '0490000000016', via: 'barcode', patternId: 'p' };
  const product: ScanResult = {
    kind: 'product',
    symbology: 'ean-13',
    gtin14: '05394120000008',
    gtin13: '5394120000008',
  };
  const garbage: ScanResult = { kind: 'rejected', reason: 'garbage', message: REJECTION_MESSAGES.garbage };
  const noise = 'Not a card or product this till knows: HELLO';

  it('the sale screen answers every scan that added no line', () => {
    expect(saleScanAnswer(text)).toEqual({ kind: 'info', text: noise });
    expect(saleScanAnswer(refused)).toEqual({ kind: 'error', text: PAYMENT_CARD_REFUSED });
    expect(saleScanAnswer(card).text).toContain('finish or cancel this sale');
    expect(saleScanAnswer(garbage)).toEqual({ kind: 'info', text: REJECTION_MESSAGES.garbage });
    expect(saleScanAnswer(product)).toEqual({
      kind: 'error',
      text: 'Product 5394120000008 is not in the catalog. Key in its amount and category instead.',
    });
  });

  it('the enrollment form fills in a card and answers everything else', () => {
    expect(enrollScanAnswer(card)).toEqual({ kind: 'card', number: '0490000000016' });
    expect(enrollScanAnswer({ kind: 'nfc-uid', uid: '04A224B2' })).toEqual({
      kind: 'card',
      number: '04A224B2',
    });
    expect(enrollScanAnswer(text)).toEqual({ kind: 'info', text: noise });
    expect(enrollScanAnswer(product)).toEqual({
      kind: 'info',
      text: "That was a product: scan the new member's card.",
    });
    expect(enrollScanAnswer(refused)).toEqual({ kind: 'error', text: PAYMENT_CARD_REFUSED });
    expect(enrollScanAnswer(garbage)).toEqual({ kind: 'info', text: REJECTION_MESSAGES.garbage });
  });

  it('a screen that ignores scans says so once', () => {
    const said: string[] = [];
    const handler = ignoredScans({ info: (t) => said.push(t) }, 'Scans are ignored here.');
    handler(card, 'serial');
    handler(text, 'wedge');
    handler(product, 'serial');
    expect(said).toEqual(['Scans are ignored here.']);
  });
});
