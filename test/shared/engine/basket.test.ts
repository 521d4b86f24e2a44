import { describe, it, expect } from 'vitest';
import {
  basketLineSchema,
  basketSchema,
  inScope,
  isExcluded,
  lineTotal,
} from '../../../src-shared/engine/basket.js';
import { makeProgram } from './builders.js';

const coffee = { sku: 'c-1', category: 'coffee' };

describe('basket schema', () => {
  it('defaults the discount to 0 and computes the line total', () => {
    const l = basketLineSchema.parse({ sku: 'a', category: 'coffee', quantity: 3, unitPrice: 250 });
    expect(l.discount).toBe(0);
    expect(lineTotal(l)).toBe(750);
    expect(lineTotal({ quantity: 3, unitPrice: 250, discount: 100 })).toBe(650);
  });

  it('refuses a discount larger than the line, negative or fractional money, and unknown fields', () => {
    const ok = { sku: 'a', category: 'c', quantity: 2, unitPrice: 100 };
    expect(basketLineSchema.safeParse({ ...ok, discount: 200 }).success).toBe(true);
    expect(basketLineSchema.safeParse({ ...ok, discount: 201 }).success).toBe(false);
    expect(basketLineSchema.safeParse({ ...ok, unitPrice: -1 }).success).toBe(false);
    expect(basketLineSchema.safeParse({ ...ok, unitPrice: 1.5 }).success).toBe(false);
    expect(basketLineSchema.safeParse({ ...ok, quantity: 0 }).success).toBe(false);
    expect(basketLineSchema.safeParse({ ...ok, sku: '' }).success).toBe(false);
    expect(basketLineSchema.safeParse({ ...ok, colour: 'red' }).success).toBe(false);
  });

  it('takes an ISO currency and at most 500 lines', () => {
    const l = { sku: 'a', category: 'c', quantity: 1, unitPrice: 100 };
    expect(basketSchema.safeParse({ currency: 'EUR', lines: [l] }).success).toBe(true);
    expect(basketSchema.safeParse({ currency: 'eur', lines: [l] }).success).toBe(false);
    expect(basketSchema.safeParse({ currency: 'EUR', lines: Array(500).fill(l) }).success).toBe(true);
    expect(basketSchema.safeParse({ currency: 'EUR', lines: Array(501).fill(l) }).success).toBe(false);
  });
});

describe('inScope', () => {
  it('takes every line without a scope or with only exclusions', () => {
    expect(inScope(coffee, undefined)).toBe(true);
    expect(inScope(coffee, {})).toBe(true);
    expect(inScope(coffee, { excludeCategories: ['tea'] })).toBe(true);
  });

  it('treats categories and skus as allow-lists where either match is enough', () => {
    expect(inScope(coffee, { categories: ['coffee'] })).toBe(true);
    expect(inScope(coffee, { categories: ['tea'] })).toBe(false);
    expect(inScope(coffee, { categories: ['tea'], skus: ['c-1'] })).toBe(true);
    expect(inScope(coffee, { skus: ['c-2'] })).toBe(false);
  });

  it('lets exclusions remove lines an allow-list took', () => {
    expect(inScope(coffee, { categories: ['coffee'], excludeSkus: ['c-1'] })).toBe(false);
    expect(inScope(coffee, { skus: ['c-1'], excludeCategories: ['coffee'] })).toBe(false);
  });
});

describe('isExcluded', () => {
  const program = makeProgram({ earning: { excluded: { categories: ['tobacco'], skus: ['gift-50'] } } });
  it('excludes by category or by SKU', () => {
    expect(isExcluded({ sku: 'x', category: 'tobacco' }, program)).toBe(true);
    expect(isExcluded({ sku: 'gift-50', category: 'gifts' }, program)).toBe(true);
    expect(isExcluded(coffee, program)).toBe(false);
  });
});
