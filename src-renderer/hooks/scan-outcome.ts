// What a scan means at a screen that identifies members (idle, member view): a member, a card nobody
// holds here (and whether its sale's points may go on it, HQ being out of reach), a payment card to refuse,
// a misread or a code this till does not know (answered with a notice), or a product. Pure apart from the lookup it is given, so it is tested in Node. Every scan gets an answer
// on screen: the texts for codes nobody knows and for payment cards are here, shared by every screen, in the
// counter's language (i18n.t at each call: the language is the store's, known once the page has asked).
import type { ScanResult } from '../../src-shared/scan/index.js';
import { i18n } from '../i18n/index.js';
import { scanRejectionText } from '../i18n/refusals.js';
import { commonWords } from '../i18n/words/common.js';

export type ScanOutcome<M> =
  | { kind: 'member'; member: M }
  /**
   * A card number no member holds here: offer to enroll with it, and, when HQ could not be asked
   * (`earnOnCard`), to add the sale's points to the card (src-shared/ledger/card-earn.ts).
   */
  | { kind: 'unknown-card'; number: string; message: string; earnOnCard: boolean }
  /** A payment card: refused, and none of its digits shown. */
  | { kind: 'refused'; message: string }
  /** A misread frame or a code that is neither a card nor a product: a notice, nothing to do. */
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

/**
 * What the counter says about a payment card. main's payment guard refuses the swipe and keeps nothing; the
 * renderer shows none of its digits either (not even the last four the refusal may carry): the cashier needs
 * to know what happened, not which card it was.
 */
export const paymentCardRefused = (): string => i18n.t('common.scan.paymentCardRefused');

/** The same words in English, as the tests of an English counter look for them. */
export const PAYMENT_CARD_REFUSED = commonWords.en.scan.paymentCardRefused;

/** The longest part of an unknown code echoed back: enough to recognise it, never a wall of text. */
const ECHO_MAX = 40;

/**
 * "Not a card or product this till knows: …", with the code as read so the cashier can tell a wrong
 * barcode from a misconfigured scanner. Control characters are shown as "?", the text is cut at 40
 * characters, and a long run of digits shows its last four only (as a card number would): a number that
 * long could identify someone, and the answer needs no more to be recognised.
 */
export function unknownCodeText(result: Extract<ScanResult, { kind: 'text' | 'gs1' }>): string {
  const code =
    result.kind === 'text'
      ? result.text
      : result.elements.map((element) => `(${element.ai})${element.value}`).join('');
  // eslint-disable-next-line no-control-regex -- control characters are what is being replaced
  const printable = code.trim().replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const masked = printable.replace(/\d{13,}/g, (digits) => maskedCard(digits));
  const shown = masked.length > ECHO_MAX ? `${masked.slice(0, ECHO_MAX)}…` : masked;
  return i18n.t('common.scan.unknownCode', { code: shown });
}

/** What a card lookup finds (the services' lookupCard): the member, or nobody and whether to earn on the card. */
export type CardFound<M> = { member: M } | { member: null; earnOnCard: boolean };

export async function scanOutcome<M>(
  result: ScanResult,
  lookupCard: (number: string) => Promise<CardFound<M>>,
): Promise<ScanOutcome<M>> {
  switch (result.kind) {
    case 'refused':
      return { kind: 'refused', message: paymentCardRefused() };
    case 'rejected':
      return { kind: 'notice', message: scanRejectionText(result) };
    case 'product':
      return {
        kind: 'product',
        gtin14: result.gtin14,
        ...(result.gtin13 ? { gtin13: result.gtin13 } : {}),
      };
    case 'gs1':
      if (result.gtin) return { kind: 'product', gtin14: result.gtin };
      return { kind: 'notice', message: unknownCodeText(result) };
    case 'text': {
      // Typed or scanned text may be a card number that matches no pattern: looked up, else answered.
      const number = cardNumberOf(result);
      const found = number ? await lookupCard(number) : null;
      if (found && !('earnOnCard' in found)) return { kind: 'member', member: found.member };
      return { kind: 'notice', message: unknownCodeText(result) };
    }
    default: {
      const number = cardNumberOf(result) ?? '';
      const found = await lookupCard(number);
      if (!('earnOnCard' in found)) return { kind: 'member', member: found.member };
      const card = maskedCard(number);
      return {
        kind: 'unknown-card',
        number,
        earnOnCard: found.earnOnCard,
        message: found.earnOnCard
          ? i18n.t('common.scan.cardNotHere', { card })
          : i18n.t('common.scan.cardNotRegistered', { card }),
      };
    }
  }
}

/** A screen's answer to a scan, for the counter's message slot. */
export interface ScanAnswer {
  kind: 'info' | 'error';
  text: string;
}

const cardDuringSale = (): string => i18n.t('common.scan.cardDuringSale');
const productAtEnroll = (): string => i18n.t('common.scan.productAtEnroll');

/**
 * The sale screen's answer to a scan that added no line: the screen looks products up first (a GTIN, or text
 * that is a product's code) and asks for an answer only when none was found.
 */
export function saleScanAnswer(result: ScanResult): ScanAnswer {
  const notInCatalog = (code: string): ScanAnswer => ({
    kind: 'error',
    text: i18n.t('common.scan.notInCatalog', { code }),
  });
  switch (result.kind) {
    case 'product':
      return notInCatalog(result.gtin13 ?? result.gtin14);
    case 'gs1':
      return result.gtin ? notInCatalog(result.gtin) : { kind: 'info', text: unknownCodeText(result) };
    case 'text':
      return { kind: 'info', text: unknownCodeText(result) };
    case 'refused':
      return { kind: 'error', text: paymentCardRefused() };
    case 'rejected':
      return { kind: 'info', text: scanRejectionText(result) };
    case 'loyalty-card':
    case 'magstripe-card':
    case 'nfc-uid':
      return { kind: 'info', text: cardDuringSale() };
  }
}

/**
 * At the enrollment form: a card's number to fill in, or the answer. Text is not taken as a card number
 * (a card number can be typed); a product is told to be one.
 */
export function enrollScanAnswer(result: ScanResult): { kind: 'card'; number: string } | ScanAnswer {
  switch (result.kind) {
    case 'loyalty-card':
    case 'magstripe-card':
    case 'nfc-uid':
      return { kind: 'card', number: cardNumberOf(result) ?? '' };
    case 'product':
      return { kind: 'info', text: productAtEnroll() };
    case 'gs1':
      return { kind: 'info', text: result.gtin ? productAtEnroll() : unknownCodeText(result) };
    case 'text':
      return { kind: 'info', text: unknownCodeText(result) };
    case 'refused':
      return { kind: 'error', text: paymentCardRefused() };
    case 'rejected':
      return { kind: 'info', text: scanRejectionText(result) };
  }
}
