// Products import: `sku,gtin,name,category,price[,currency][,deleted]`, prices in major units as written
// on a shelf label (`4.99`), GTINs checked against their check digit. A SKU already at HQ is updated (only
// if something differs, so terminals do not pull unchanged products again); `deleted=yes` withdraws one.
import { z } from 'zod';
import { currencySchema, minorDigits } from '../../src-shared/kernel/money.js';
import type { Db } from '../db/database.js';
import { upsertProducts, type ProductInput, type UpsertSummary } from '../store/catalog.js';
import { isValidGtin } from './gtin.js';
import {
  runCsvImport,
  type ImportOptions,
  type ImportReport,
  type ParsedRow,
  type RowProblem,
} from './rows.js';

export const PRODUCT_COLUMNS = {
  required: ['sku', 'name', 'category', 'price'],
  optional: ['gtin', 'currency', 'deleted'],
} as const;

export interface ProductImportOptions extends ImportOptions {
  /** Currency of rows without a `currency` column or cell (e.g. the program's). */
  currency: string;
}

export type ProductImportReport = ImportReport & UpsertSummary;

const yesNo = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['yes', 'no', 'true', 'false', '1', '0'], { error: 'yes or no' }))
  .transform((s) => s === 'yes' || s === 'true' || s === '1');

/** `4.99` in EUR → 499; refuses more decimals than the currency has. */
function toMinor(price: string, currency: string, ctx: z.RefinementCtx): number {
  const digits = minorDigits(currency);
  const match = /^(\d{1,12})(?:[.,](\d+))?$/.exec(price);
  if (!match || (match[2] ?? '').length > digits) {
    ctx.addIssue({
      code: 'custom',
      message: `not a price in ${currency} (e.g. ${digits === 0 ? '500' : `4.${'9'.repeat(digits)}`})`,
      path: ['price'],
    });
    return z.NEVER;
  }
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}

export function productRowSchema(defaultCurrency: string) {
  return z
    .object({
      sku: z
        .string()
        .max(64)
        .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits, . _ - / (e.g. GB-OAT-DRINK-1L)'),
      gtin: z
        .string()
        .refine(isValidGtin, 'not a GTIN: 8, 12, 13 or 14 digits with a valid check digit')
        .optional(),
      name: z.string().max(120),
      category: z.string().max(64),
      price: z.string(),
      currency: currencySchema.optional(),
      deleted: yesNo.optional(),
    })
    .transform((row, ctx): ProductInput => {
      const currency = row.currency ?? defaultCurrency;
      return {
        sku: row.sku,
        gtin: row.gtin ?? null,
        name: row.name,
        category: row.category,
        price: toMinor(row.price, currency, ctx),
        currency,
        _deleted: row.deleted ?? false,
      };
    });
}

/** Imports products from CSV text chunks; see runCsvImport for batching and reporting. */
export async function importProducts(
  db: Db,
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: ProductImportOptions,
): Promise<ProductImportReport> {
  const currency = currencySchema.parse(options.currency);
  const totals: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0 };
  // SKUs and GTINs seen in this file: a second row for either is ambiguous, so it is refused.
  const skuLines = new Map<string, number>();
  const gtinLines = new Map<string, { line: number; sku: string }>();

  const write = async (rows: ParsedRow<ProductInput>[]): Promise<RowProblem[]> => {
    const refused: RowProblem[] = [];
    const accepted: ParsedRow<ProductInput>[] = [];
    for (const row of rows) {
      const { sku, gtin } = row.value;
      const skuLine = skuLines.get(sku);
      const gtinSeen = gtin === null ? undefined : gtinLines.get(gtin);
      if (skuLine !== undefined) {
        refused.push({ line: row.line, reason: `SKU ${sku} appears already on line ${skuLine}` });
      } else if (gtinSeen && gtinSeen.sku !== sku) {
        refused.push({
          line: row.line,
          reason: `GTIN ${gtin} is already used by SKU ${gtinSeen.sku} on line ${gtinSeen.line}`,
        });
      } else {
        skuLines.set(sku, row.line);
        if (gtin !== null && !row.value._deleted) gtinLines.set(gtin, { line: row.line, sku });
        accepted.push(row);
      }
    }
    // A GTIN HQ already has on another (live) product.
    const gtins = accepted.filter((r) => r.value.gtin !== null && !r.value._deleted);
    if (gtins.length > 0) {
      const { rows: clashes } = await db.query<{ sku: string; gtin: string }>(
        'SELECT sku, gtin FROM products WHERE gtin = ANY($1::text[]) AND NOT deleted',
        [gtins.map((r) => r.value.gtin)],
      );
      const owner = new Map(clashes.map((c) => [c.gtin, c.sku]));
      for (const r of gtins) {
        const other = owner.get(r.value.gtin ?? '');
        if (other !== undefined && other !== r.value.sku) {
          refused.push({
            line: r.line,
            reason: `GTIN ${r.value.gtin} already belongs to SKU ${other} at HQ`,
          });
          accepted.splice(accepted.indexOf(r), 1);
        }
      }
    }
    if (accepted.length > 0) {
      const summary = await upsertProducts(
        db,
        accepted.map((r) => r.value),
      );
      totals.inserted += summary.inserted;
      totals.updated += summary.updated;
      totals.unchanged += summary.unchanged;
    }
    return refused;
  };

  const report = await runCsvImport(source, PRODUCT_COLUMNS, productRowSchema(currency), write, options);
  return { ...report, ...totals };
}
