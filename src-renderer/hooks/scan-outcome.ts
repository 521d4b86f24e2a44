// What a scan means at a screen that identifies members (idle, member view): a member, a card nobody
// holds, a payment card to refuse, a misread to report quietly, or a product. Pure apart from the lookup
// it is given, so it is tested in Node.
import type { ScanResult } from '../../src-shared/scan/index.js';

export type ScanOutcome<M> =
  | { kind: 'member'; member: M }
  /** A card number no member holds here: offer to enroll with it. */
  | { kind: 'unknown-card'; number: string; message: string }
  /** A payment card: refused, with at most its last four digits. */
  | { kind: 'refused'; message: string }
  /** A misread or unreadable frame: a small notice, nothing to do. */
  | { kind: 'notice'; message: string }
  | { kind: 'product'; gtin14: string; gtin13?: string };

/** Shows a card number without all of its digits (it identifies a member): "…0016". */
export const maskedCard = (number: string): string => (number.length > 4 ? `…${number.slice(-4)}` : number);

/** The card number a scan carries, if it can be one (loyalty patterns, other stripes, NFC tags, text). */
export function cardNumberOf(result: ScanResult): string | null {
  switch (result.kind) {
    case 'loyalty-card':
      return result.number;
    case 'magstripe-card':
      return result.number;
    case 'nfc-uid':
      return result.uid;
    case 'text':
      return result.text.trim() || null;
    default:
      return null;
  }
}

/** The refusal text for a payment card: the scanner module's words, and at most the last four digits. */
export function refusedText(result: Extract<ScanResult, { kind: 'refused' }>): string {
  return result.last4 ? `${result.message} (card ending ${result.last4})` : result.message;
}

export async function scanOutcome<M>(
  result: ScanResult,
  lookupByCard: (number: string) => Promise<M | null>,
): Promise<ScanOutcome<M>> {
  switch (result.kind) {
    case 'refused':
      return { kind: 'refused', message: refusedText(result) };
    case 'rejected':
      return { kind: 'notice', message: result.message };
    case 'product':
      return {
        kind: 'product',
        gtin14: result.gtin14,
        ...(result.gtin13 ? { gtin13: result.gtin13 } : {}),
      };
    case 'gs1':
      if (result.gtin) return { kind: 'product', gtin14: result.gtin };
      return { kind: 'notice', message: 'This barcode is not a loyalty card or a product.' };
    default: {
      const number = cardNumberOf(result);
      if (!number) return { kind: 'notice', message: 'This code is not a loyalty card.' };
      const member = await lookupByCard(number);
      if (member) return { kind: 'member', member };
      if (result.kind === 'text') return { kind: 'notice', message: 'This code is not a loyalty card.' };
      return {
        kind: 'unknown-card',
        number,
        message: `Card ${maskedCard(number)} is not registered. Enroll the customer with it, or scan another card.`,
      };
    }
  }
}
