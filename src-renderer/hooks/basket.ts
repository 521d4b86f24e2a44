// The sale basket as the cashier builds it: lines from product scans (the same product scanned again adds
// one to its line, as a till does) and keyed amounts (one line each: two keyed 5.00 are two items), turned
// into the basket the earn engine quotes. Pure, so it is tested in Node.
import type { BasketInput, Product } from '../services/index.js';
import { i18n } from '../i18n/index.js';

export interface SaleLine {
  /** Stable key for the list and for removing the line. */
  key: string;
  sku: string;
  gtin?: string;
  /** What the cashier reads: the product name, or "Keyed amount (category)". */
  name: string;
  category: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
  keyed: boolean;
}

/** The SKU keyed amounts are recorded under: one per category, so HQ's reports can tell them apart. */
export const keyedSku = (category: string): string => `KEYED-${category}`.slice(0, 64);

/** The GTINs to try for a product scan: as stored by HQ (13 or 14 digits, or 8/12 without padding). */
export function gtinCandidates(scan: { gtin14: string; gtin13?: string | undefined }): string[] {
  const out: string[] = [];
  const add = (code: string | undefined) => {
    if (code && /^\d{8,14}$/.test(code) && !out.includes(code)) out.push(code);
  };
  add(scan.gtin13);
  add(scan.gtin14);
  // A UPC-A is 12 digits, an EAN-8 8: HQ may have stored them unpadded.
  const bare = scan.gtin14.replace(/^0+/, '');
  if (bare.length <= 12) add(bare.padStart(12, '0'));
  if (bare.length <= 8) add(bare.padStart(8, '0'));
  return out;
}

/** A basket line for one unit of a scanned product. */
export function lineFromProduct(product: Product, scannedGtin?: string): SaleLine {
  const gtin = product.gtin ?? scannedGtin;
  return {
    key: `sku:${product.sku}`,
    sku: product.sku,
    ...(gtin ? { gtin } : {}),
    name: product.name,
    category: product.category,
    quantity: 1,
    unitPrice: product.price,
    keyed: false,
  };
}

/**
 * A basket line for an amount keyed in a category; `seq` keeps keys unique within a sale, `label` is the
 * category as the cashier reads it.
 */
export function keyedLine(amount: number, category: string, seq: number, label = category): SaleLine {
  return {
    key: `keyed:${seq}`,
    sku: keyedSku(category),
    name: i18n.t('sale.keyedLine', { category: label }),
    category,
    quantity: 1,
    unitPrice: amount,
    keyed: true,
  };
}

/** Adds a line: a product already in the basket gets one more unit, anything else a new line. */
export function addLine(lines: readonly SaleLine[], line: SaleLine): SaleLine[] {
  if (!line.keyed) {
    const index = lines.findIndex((l) => !l.keyed && l.sku === line.sku && l.unitPrice === line.unitPrice);
    if (index >= 0)
      return lines.map((l, i) => (i === index ? { ...l, quantity: l.quantity + line.quantity } : l));
  }
  return [...lines, line];
}

/** Removes a line by key. */
export const removeLine = (lines: readonly SaleLine[], key: string): SaleLine[] =>
  lines.filter((l) => l.key !== key);

/** What one line costs, minor units. */
export const saleLineTotal = (line: Pick<SaleLine, 'quantity' | 'unitPrice'>): number =>
  line.quantity * line.unitPrice;

export const basketTotal = (lines: readonly SaleLine[]): number =>
  lines.reduce((sum, line) => sum + saleLineTotal(line), 0);

/** The basket the earn engine quotes and recordEarn records. */
export function toBasket(lines: readonly SaleLine[], currency: string): BasketInput {
  return {
    currency,
    lines: lines.map((l) => ({
      sku: l.sku,
      ...(l.gtin ? { gtin: l.gtin } : {}),
      category: l.category,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: 0,
    })),
  };
}
