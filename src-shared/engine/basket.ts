// The basket as the earn engine sees it: lines with a SKU, a category, a quantity, a unit price and a
// whole-line discount, all in integer minor units. Also the two questions every rule asks of a line:
// is it in this rule's scope, and is it excluded from earning altogether (gift cards, tobacco…).
import { z } from 'zod';
import { currencySchema } from '../kernel/money.js';
import type { Program, Scope } from '../program/schema.js';

const minor = z.number().int().nonnegative().safe();

/** What the line costs after its discount, minor units. */
export const lineTotal = (line: Pick<BasketLine, 'quantity' | 'unitPrice' | 'discount'>): number =>
  line.quantity * line.unitPrice - line.discount;

export const basketLineSchema = z
  .object({
    sku: z.string().min(1).max(64),
    gtin: z.string().optional(),
    category: z.string().min(1).max(64),
    quantity: z.number().int().positive().safe(),
    /** Price of one unit, minor units. */
    unitPrice: minor,
    /** Discount on the whole line (not per unit), minor units. */
    discount: minor.default(0),
  })
  .strict()
  .refine((l) => Number.isSafeInteger(l.quantity * l.unitPrice), {
    message: 'quantity × unitPrice is too large',
    path: ['unitPrice'],
  })
  .refine((l) => l.discount <= l.quantity * l.unitPrice, {
    message: 'the discount exceeds the line amount',
    path: ['discount'],
  });
export type BasketLine = z.output<typeof basketLineSchema>;

export const basketSchema = z
  .object({
    currency: currencySchema,
    lines: z.array(basketLineSchema).max(500),
  })
  .strict()
  .refine((b) => Number.isSafeInteger(b.lines.reduce((sum, l) => sum + lineTotal(l), 0)), {
    message: 'the basket total is too large',
    path: ['lines'],
  });
export type Basket = z.output<typeof basketSchema>;

type LineKey = Pick<BasketLine, 'sku' | 'category'>;

/**
 * Whether a rule's scope covers the line. `categories` and `skus` are allow-lists (matching either is
 * enough; with neither, every line is allowed); `excludeCategories` and `excludeSkus` then remove lines.
 */
export function inScope(line: LineKey, scope: Scope | undefined): boolean {
  if (!scope) return true;
  const { categories, skus, excludeCategories, excludeSkus } = scope;
  if (categories || skus) {
    const allowed = (categories?.includes(line.category) ?? false) || (skus?.includes(line.sku) ?? false);
    if (!allowed) return false;
  }
  if (excludeCategories?.includes(line.category)) return false;
  if (excludeSkus?.includes(line.sku)) return false;
  return true;
}

/** Lines the program never lets earn (`earning.excluded`): they are also left out of the eligible amount. */
export function isExcluded(line: LineKey, program: Pick<Program, 'earning'>): boolean {
  const { categories, skus } = program.earning.excluded;
  return categories.includes(line.category) || skus.includes(line.sku);
}
