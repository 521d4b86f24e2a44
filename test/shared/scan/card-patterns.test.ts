// The program's `cards.patterns`: its default, its validation, and how patterns match.
import { describe, expect, it } from 'vitest';
import { matchCardPattern } from '../../../src-shared/scan/card-patterns.js';
import { eanCheckDigit } from '../../../src-shared/scan/check-digits.js';
import { parseProgram } from '../../../src-shared/program/parse.js';
import { cardPatternSchema, type ProgramInput } from '../../../src-shared/program/schema.js';

const program = (extra: Partial<ProgramInput> = {}): ProgramInput => ({
  id: 'p',
  version: 1,
  name: 'P',
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  pointValue: { points: 100, value: 100 },
  earning: { rules: [{ id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 }] },
  offline: {
    allowanceCap: 0,
    freshHours: 24,
    expiredHours: 72,
    staleAllowancePercent: 50,
    managerOverrideCap: 0,
  },
  ...extra,
});

describe('program cards.patterns', () => {
  it('defaults to EAN-13 with the restricted-circulation prefix 04', () => {
    const r = parseProgram(program());
    expect(r.ok && r.value.cards).toEqual({
      patterns: [
        { id: 'store-card-04', label: 'Store card (EAN-13 04…)', kind: 'ean13-prefix', prefix: '04' },
      ],
    });
    const s = parseProgram(program({ cards: {} }));
    expect(s.ok && s.value.cards.patterns).toHaveLength(1);
  });

  it('takes the three kinds, and an empty list', () => {
    const patterns = [
      { id: 'a', label: 'A', kind: 'ean13-prefix', prefix: '0450' },
      { id: 'b', label: 'B', kind: 'magstripe-prefix', prefix: '' },
      { id: 'c', label: 'C', kind: 'regex', pattern: 'LC\\d{8}', via: 'barcode' },
    ] as const;
    const r = parseProgram(program({ cards: { patterns: [...patterns] } }));
    expect(r.ok && r.value.cards.patterns).toEqual(patterns);
    const empty = parseProgram(program({ cards: { patterns: [] } }));
    expect(empty.ok && empty.value.cards.patterns).toEqual([]);
  });

  it('lists bad patterns with their paths', () => {
    const r = parseProgram(
      program({
        cards: {
          patterns: [
            { id: 'a', label: 'A', kind: 'ean13-prefix', prefix: '04x' },
            { id: 'a', label: 'B', kind: 'regex', pattern: '(' },
          ],
        },
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toEqual(
        expect.arrayContaining([
          { path: 'cards.patterns.0.prefix', message: '1 to 12 digits' },
          { path: 'cards.patterns.1.pattern', message: 'a valid JavaScript regular expression' },
          { path: 'cards.patterns.1.id', message: 'duplicate id "a"' },
        ]),
      );
  });

  it('refuses unknown fields and kinds', () => {
    expect(cardPatternSchema.safeParse({ id: 'a', label: 'A', kind: 'nfc', prefix: '' }).success).toBe(false);
    expect(
      cardPatternSchema.safeParse({ id: 'a', label: 'A', kind: 'ean13-prefix', prefix: '04', colour: 'red' })
        .success,
    ).toBe(false);
  });
});

describe('matchCardPattern', () => {
  const patterns = [
    { id: 'ean', label: 'E', kind: 'ean13-prefix', prefix: '045' },
    { id: 'mag', label: 'M', kind: 'magstripe-prefix', prefix: '70' },
    { id: 're', label: 'R', kind: 'regex', pattern: '\\d{6}' },
  ] as const;

  it('ean13-prefix wants a valid EAN-13 (or UPC-A) from a barcode', () => {
    const ean = `045123456789${eanCheckDigit('045123456789')}`;
    const wrong = `045123456789${((eanCheckDigit('045123456789') ?? 0) + 1) % 10}`;
    expect(matchCardPattern(patterns, ean, 'barcode')).toEqual({ number: ean, patternId: 'ean' });
    expect(matchCardPattern(patterns, ean.slice(1), 'barcode')).toEqual({ number: ean, patternId: 'ean' });
    expect(matchCardPattern(patterns, wrong, 'barcode')).toBeUndefined();
    expect(matchCardPattern(patterns, ean, 'magstripe')).toBeUndefined();
  });

  it('magstripe-prefix only for stripes; regex anchored at both ends', () => {
    expect(matchCardPattern(patterns, '7099', 'magstripe')).toEqual({ number: '7099', patternId: 'mag' });
    expect(matchCardPattern(patterns, '7099', 'barcode')).toBeUndefined();
    expect(matchCardPattern(patterns, '123456', 'nfc')).toEqual({ number: '123456', patternId: 're' });
    expect(matchCardPattern(patterns, '1234567', 'barcode')).toBeUndefined();
  });
});
