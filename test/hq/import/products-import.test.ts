import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProducts } from '../../../src-hq/import/products.js';
import { CsvFileError } from '../../../src-hq/import/rows.js';
import { getProduct, listProducts, upsertProducts } from '../../../src-hq/store/catalog.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { lastChangeSeq } from '../store/helpers.js';

const seq = (t: TestDatabase) => lastChangeSeq(t.db);

describe.each(databases)('products import on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('imports good rows, reports bad ones by line, and updates only what changed', async () => {
    const csv = [
      'SKU,GTIN,Name,Category,Price',
      'GB-OAT-DRINK-1L,5391234567892,"Oat drink, 1 L",dairy-alternatives,2.49',
      'GB-APPLES-6,5391234567809,Apples x6,fresh-produce,3.20',
      'GB-BAD-GTIN,5391234567890,Bad check digit,misc,1.00',
      'GB-BAD-PRICE,,Three decimals,misc,1.999',
      'GB-OAT-DRINK-1L,,Duplicate SKU,misc,1.00',
      'GB-SHORT,Only three',
      'GB-BAG,,"Bag for life",household,0.50',
      '',
    ].join('\r\n');
    const progress: number[] = [];
    const report = await importProducts(t.db, [csv], {
      currency: 'EUR',
      batchSize: 2,
      onProgress: (p) => progress.push(p.rowsRead),
    });
    expect(report).toMatchObject({ rowsRead: 7, imported: 3, rejected: 4, inserted: 3, updated: 0 });
    expect(report.problems.map((p) => p.line)).toEqual([4, 5, 6, 7]);
    expect(report.problems[0]?.reason).toMatch(/gtin: not a GTIN/);
    expect(report.problems[1]?.reason).toMatch(/price: not a price in EUR/);
    expect(report.problems[2]?.reason).toMatch(/appears already on line 2/);
    expect(report.problems[3]?.reason).toMatch(/expected 5 fields/);
    expect(progress.length).toBeGreaterThan(1);
    expect(await getProduct(t.db, 'GB-OAT-DRINK-1L')).toEqual({
      sku: 'GB-OAT-DRINK-1L',
      gtin: '5391234567892',
      name: 'Oat drink, 1 L',
      category: 'dairy-alternatives',
      price: 249,
      currency: 'EUR',
      _deleted: false,
    });
    expect((await listProducts(t.db)).map((p) => p.sku)).toEqual([
      'GB-APPLES-6',
      'GB-BAG',
      'GB-OAT-DRINK-1L',
    ]);
    const before = await seq(t);
    expect(before).toBe(3);

    // The same file again changes nothing and takes no change numbers; a price change takes one.
    const again = await importProducts(t.db, [csv], { currency: 'EUR' });
    expect(again).toMatchObject({ imported: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(await seq(t)).toBe(before);
    const update = await importProducts(
      t.db,
      [
        'sku,name,category,price,deleted\nGB-APPLES-6,Apples x6,fresh-produce,3.50,no\nGB-BAG,Bag for life,household,0.50,yes\n',
      ],
      { currency: 'EUR' },
    );
    expect(update).toMatchObject({ imported: 2, updated: 2, unchanged: 0 });
    expect(await seq(t)).toBe(5);
    expect((await getProduct(t.db, 'GB-APPLES-6'))?.price).toBe(350);
    expect((await getProduct(t.db, 'GB-BAG'))?._deleted).toBe(true);
    expect((await listProducts(t.db)).map((p) => p.sku)).toEqual(['GB-APPLES-6', 'GB-OAT-DRINK-1L']);
  });

  it('refuses a GTIN that another product holds, and a file whose header is wrong', async () => {
    const report = await importProducts(
      t.db,
      ['sku,gtin,name,category,price\nOTHER-OAT,5391234567892,Copy,misc,1.00\n'],
      { currency: 'EUR' },
    );
    expect(report.problems).toEqual([
      { line: 2, reason: 'GTIN 5391234567892 already belongs to SKU GB-OAT-DRINK-1L at HQ' },
    ]);
    await expect(importProducts(t.db, ['sku,name,price\nA,B,1\n'], { currency: 'EUR' })).rejects.toThrow(
      CsvFileError,
    );
    await expect(
      importProducts(t.db, ['sku,name,category,price,colour\n'], { currency: 'EUR' }),
    ).rejects.toThrow(/unknown column "colour"/);
    await expect(importProducts(t.db, [''], { currency: 'EUR' })).rejects.toThrow(/empty/);
  });

  it('upserts in one transaction: one bad row writes nothing', async () => {
    const before = await seq(t);
    await expect(
      upsertProducts(t.db, [
        { sku: 'OK-1', gtin: null, name: 'Fine', category: 'misc', price: 100, currency: 'EUR' },
        { sku: 'BAD-1', gtin: null, name: 'Negative', category: 'misc', price: -1, currency: 'EUR' },
      ]),
    ).rejects.toThrow();
    expect(await getProduct(t.db, 'OK-1')).toBeNull();
    expect(await seq(t)).toBe(before);
  });
});
