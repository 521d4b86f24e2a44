// What a scanned frame turned out to be. The result crosses the IPC boundary from the device process to the
// renderer, so it has a zod schema; by construction it never holds a payment card number (only a brand and
// the last four digits of a refused one) nor, in a rejection, any of the frame's content.
import { z } from 'zod';
import { PAYMENT_BRANDS } from './check-digits.js';
import { symbologySchema } from './aim.js';

/** Longer frames are refused as `too-long`: a two-track swipe is under 130 characters, a GS1 QR rarely 300. */
export const MAX_FRAME_LENGTH = 512;

export const PAYMENT_CARD_MESSAGE = 'This is a payment card. Please scan the loyalty card.';

export const REJECTION_REASONS = [
  'garbage',
  'too-long',
  'empty',
  'bad-check-digit',
  'unknown-format',
  'bad-gs1',
  'bad-track',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What the cashier reads; the same text for every frame with that reason, so it cannot echo the frame. */
export const REJECTION_MESSAGES: Readonly<Record<RejectionReason, string>> = {
  garbage: 'The scan could not be read (check the scanner settings). Please scan again.',
  'too-long': 'The scan was too long to be a barcode or a card. Please scan again.',
  empty: 'Nothing was read. Please scan again.',
  'bad-check-digit': 'The barcode was misread. Please scan it again or key in the number.',
  'unknown-format': 'This code is not one the till recognises.',
  'bad-gs1': 'The barcode data is not valid. Please scan it again or key in the product.',
  'bad-track': 'The card was not read completely. Please swipe it again.',
};

const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `${n} digits`);

const productSchema = z
  .object({
    kind: z.literal('product'),
    symbology: z.enum(['ean-13', 'ean-8', 'upc-a', 'upc-e', 'itf-14', 'unknown']),
    /** The GTIN padded to 14 digits: the form to look products up by. */
    gtin14: digits(14),
    /** For display, when the GTIN fits in 13 digits (EAN-13, UPC-A, UPC-E). */
    gtin13: digits(13).optional(),
    /** A 2- or 5-digit EAN add-on (`]E3`). */
    addOn: z
      .string()
      .regex(/^(\d{2}|\d{5})$/)
      .optional(),
    /** GS1 prefixes 02 and 20–29: in-store numbers that may embed a price or weight (layout is store-specific). */
    variableMeasure: z
      .object({ prefix: digits(2) })
      .strict()
      .optional(),
    /** GS1 prefixes 040–049: company-internal numbers, matched by no card pattern of this program. */
    restrictedCirculation: z.literal(true).optional(),
  })
  .strict();

export const gs1ElementSchema = z
  .object({
    ai: z.string().regex(/^\d{2,4}$/),
    label: z.string().min(1),
    value: z.string().min(1).max(90),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    decimal: z
      .object({ units: z.number().int().nonnegative().safe(), decimals: z.number().int().min(0).max(9) })
      .strict()
      .optional(),
    unit: z.enum(['kg', 'lb', 'm', 'm2', 'l', 'm3']).optional(),
    currency: digits(3).optional(),
  })
  .strict();

const gs1Schema = z
  .object({
    kind: z.literal('gs1'),
    symbology: symbologySchema,
    elements: z.array(gs1ElementSchema).min(1),
    /** AI 01, when present. */
    gtin: digits(14).optional(),
  })
  .strict();

const textSchema = z
  .object({
    kind: z.literal('text'),
    symbology: symbologySchema,
    text: z.string().min(1).max(MAX_FRAME_LENGTH),
  })
  .strict();

export const cardMediumSchema = z.enum(['barcode', 'magstripe', 'nfc']);
export type CardMedium = z.infer<typeof cardMediumSchema>;

const loyaltyCardSchema = z
  .object({
    kind: z.literal('loyalty-card'),
    number: z.string().min(1).max(MAX_FRAME_LENGTH),
    via: cardMediumSchema,
    /** The program's card pattern that matched. */
    patternId: z.string().min(1),
  })
  .strict();

const magstripeCardSchema = z
  .object({
    kind: z.literal('magstripe-card'),
    number: z.string().min(1).max(79),
    name: z.string().min(1).max(79).optional(),
  })
  .strict();

const nfcUidSchema = z
  .object({
    kind: z.literal('nfc-uid'),
    uid: z.string().regex(/^(?:[0-9A-F]{8}|[0-9A-F]{14}|[0-9A-F]{20})$/),
  })
  .strict();

const refusedSchema = z
  .object({
    kind: z.literal('refused'),
    reason: z.literal('payment-card'),
    message: z.literal(PAYMENT_CARD_MESSAGE),
    brand: z.enum([...PAYMENT_BRANDS, 'unknown']),
    /** The only digits of a payment card ever kept (PCI DSS allows BIN + last four; we show less). */
    last4: digits(4).optional(),
  })
  .strict();

const rejectedSchema = z
  .object({
    kind: z.literal('rejected'),
    reason: z.enum(REJECTION_REASONS),
    message: z.string().min(1),
    /** For logs and developers: lengths, positions, AIs; never the frame's data. */
    detail: z.string().optional(),
  })
  .strict();

export const scanResultSchema = z.discriminatedUnion('kind', [
  productSchema,
  gs1Schema,
  textSchema,
  loyaltyCardSchema,
  magstripeCardSchema,
  nfcUidSchema,
  refusedSchema,
  rejectedSchema,
]);
export type ScanResult = z.infer<typeof scanResultSchema>;
export type ScanResultOf<K extends ScanResult['kind']> = Extract<ScanResult, { kind: K }>;
