// What a scan means at the idle and member screens: a member, an unknown card, a payment card refused
// with at most its last four digits, a quiet notice for garbage, or a product.
import { describe, expect, it } from 'vitest';
import { PAYMENT_CARD_MESSAGE, type ScanResult } from '../../../src-shared/scan/index.js';
import { maskedCard, scanOutcome } from '../../../src-renderer/hooks/scan-outcome.js';

const members = new Map([['0490000000016', { id: 'm1' }]]);
const lookup = (n: string) => Promise.resolve(members.get(n) ?? null);

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
    });
  });

  it('refuses a payment card with its last four digits only', async () => {
    const refused: ScanResult = {
      kind: 'refused',
      reason: 'payment-card',
      message: PAYMENT_CARD_MESSAGE,
      brand: 'visa',
      last4: '1111',
    };
    const outcome = await scanOutcome(refused, lookup);
    expect(outcome).toEqual({ kind: 'refused', message: `${PAYMENT_CARD_MESSAGE} (card ending 1111)` });
    const { last4: _omit, ...noDigits } = refused;
    expect(await scanOutcome(noDigits, lookup)).toEqual({ kind: 'refused', message: PAYMENT_CARD_MESSAGE });
  });

  it('reports garbage quietly and passes products on', async () => {
    const garbage: ScanResult = {
      kind: 'rejected',
      reason: 'garbage',
      message: 'The scan could not be read.',
    };
    expect(await scanOutcome(garbage, lookup)).toEqual({
      kind: 'notice',
      message: 'The scan could not be read.',
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
    const text: ScanResult = { kind: 'text', symbology: 'code-128', text: 'HELLO' };
    expect(await scanOutcome(text, lookup)).toMatchObject({ kind: 'notice' });
  });

  it('masks card numbers', () => {
    expect(maskedCard('0490000000016')).toBe('…0016');
    expect(maskedCard('123')).toBe('123');
  });
});
