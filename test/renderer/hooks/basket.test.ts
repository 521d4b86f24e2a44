// Building the sale basket: product scans (a second scan adds a unit), keyed amounts, GTIN forms, and the
// basket the earn engine takes.
import { describe, expect, it } from 'vitest';
import { basketSchema } from '../../../src-shared/engine/basket.js';
import {
  addLine,
  basketTotal,
  gtinCandidates,
  keyedLine,
  keyedSku,
  lineFromProduct,
  removeLine,
  toBasket,
} from '../../../src-renderer/hooks/basket.js';
import type { Product } from '../../../src-renderer/services/index.js';
import { categoriesOf } from '../../../src-renderer/services/categories.js';

const bananas: Product = {
  sku: 'GB-0001',
  gtin: '5394120000008',
  name: 'Bananas, loose (per kg)',
  category: 'fresh-produce',
  price: 119,
  currency: 'EUR',
};
const oats: Product = {
  ...bananas,
  sku: 'GB-0013',
  gtin: null,
  name: 'Porridge oats',
  category: 'own-brand',
  price: 189,
};

describe('basket lines', () => {
  it('makes a line from a scanned product', () => {
    expect(lineFromProduct(bananas, '5394120000008')).toEqual({
      key: 'sku:GB-0001',
      sku: 'GB-0001',
      gtin: '5394120000008',
      name: 'Bananas, loose (per kg)',
      category: 'fresh-produce',
      quantity: 1,
      unitPrice: 119,
      keyed: false,
    });
    // No GTIN in the catalog: the scanned one is kept; none at all: no gtin field.
    expect(lineFromProduct(oats, '05000000000012').gtin).toBe('05000000000012');
    expect('gtin' in lineFromProduct(oats)).toBe(false);
  });

  it('adds a unit when the same product is scanned again', () => {
    let lines = addLine([], lineFromProduct(bananas));
    lines = addLine(lines, lineFromProduct(oats));
    lines = addLine(lines, lineFromProduct(bananas));
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['GB-0001', 2],
      ['GB-0013', 1],
    ]);
    expect(basketTotal(lines)).toBe(2 * 119 + 189);
  });

  it('keeps keyed amounts as lines of their own', () => {
    let lines = addLine([], keyedLine(500, 'meat', 1));
    lines = addLine(lines, keyedLine(500, 'meat', 2));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      sku: 'KEYED-meat',
      category: 'meat',
      unitPrice: 500,
      quantity: 1,
      keyed: true,
    });
    expect(new Set(lines.map((l) => l.key)).size).toBe(2);
    expect(removeLine(lines, lines[0]!.key)).toEqual([lines[1]]);
    expect(keyedSku('x'.repeat(80))).toHaveLength(64);
  });

  it('builds the basket the engine validates', () => {
    const lines = addLine(addLine([], lineFromProduct(bananas)), keyedLine(1250, 'household', 1));
    const basket = toBasket(lines, 'EUR');
    expect(basketSchema.safeParse(basket).success).toBe(true);
    expect(basket).toEqual({
      currency: 'EUR',
      lines: [
        {
          sku: 'GB-0001',
          gtin: '5394120000008',
          category: 'fresh-produce',
          quantity: 1,
          unitPrice: 119,
          discount: 0,
        },
        { sku: 'KEYED-household', category: 'household', quantity: 1, unitPrice: 1250, discount: 0 },
      ],
    });
    expect(basketSchema.safeParse(toBasket([], 'EUR')).success).toBe(true);
  });

  it('tries the GTIN forms HQ may have stored', () => {
    expect(gtinCandidates({ gtin14: '05394120000008', gtin13: '5394120000008' })).toEqual([
      '5394120000008',
      '05394120000008',
    ]);
    // A UPC-A (12 digits) and an EAN-8, padded to 14 by the scanner module.
    expect(gtinCandidates({ gtin14: '00036000291452', gtin13: '0036000291452' })).toEqual([
      '0036000291452',
      '00036000291452',
      '036000291452',
    ]);
    expect(gtinCandidates({ gtin14: '00000096385074' })).toEqual([
      '00000096385074',
      '000096385074',
      '96385074',
    ]);
  });

  it('lists categories once, sorted', () => {
    expect(categoriesOf([oats, bananas, { category: 'bakery' }, bananas])).toEqual([
      'bakery',
      'fresh-produce',
      'own-brand',
    ]);
  });
});
