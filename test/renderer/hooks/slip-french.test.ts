// The member's slip in the store's language (hooks/use-slip.ts slipWordsFor, i18n/words/slip.ts): a French
// store's slip is French, its money and numbers in the store's format with the currency's code, and every
// character one code page 437 prints; an English store's slip is src-shared's English, line for line.
import { afterEach, describe, expect, it } from 'vitest';
import { missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import {
  makeShownSlip,
  shiftSlipWordsFor,
  slipMoney,
  slipWordsFor,
} from '../../../src-renderer/hooks/use-slip.js';
import type { ShownMember } from '../../../src-renderer/services/index.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import {
  buildSlip,
  layoutSlip,
  slipSchema,
  type Slip,
  type SlipEvent,
} from '../../../src-shared/receipt/slip.js';
import { buildShiftSlips } from '../../../src-shared/receipt/shift-slip.js';
import { emptyShiftFigures, sumShiftFigures } from '../../../src-shared/reports/shift-summary.js';
import { eventFactory, testProgram } from '../../support/events.js';

const M = 'member-1';
const CASHIER = { id: 'c-1', name: 'Camille D.', role: 'cashier' as const };
const program = testProgram({
  expiry: { mode: 'rolling', months: 2 },
  rewards: [{ id: 'coffee', label: 'Café offert', kind: 'free-product', sku: 'coffee', cost: 150 }],
});

/** What code page 437 prints: ASCII and the accented letters French needs (no "€", no no-break space). */
const PRINTABLE = /^[\x20-\x7e éèàçêôùûîâë]*$/;

function shownAfter(events: readonly LedgerEvent[], posted: number): ShownMember {
  let member: Member | null = null;
  let hq: Member | null = null;
  events.forEach((e, i) => {
    member = applyEvent(member, e, program, i < posted ? i + 1 : undefined);
    if (i < posted) hq = member;
  });
  if (member === null) throw new Error('no member');
  const shownMember: Member = member;
  return {
    member: shownMember,
    hq,
    provisional: false,
    balance: { confirmed: 0, pending: 0, total: 0 },
    pendingEvents: 0,
  };
}

function slipOf(event: SlipEvent, shown: ShownMember): Slip {
  const made = makeShownSlip({ event, member: shown }, { program, cashier: CASHIER });
  if (!made) throw new Error('no slip');
  return made.slip;
}

const lines = (slip: Slip) => layoutSlip(slip, 42).map((l) => l.text);

afterEach(async () => {
  await speakLocale('en-IE');
});

describe("the member's slip in the store's language", () => {
  it('a French store: a sale in French, money "1 234,50 EUR", points "1 234", all printable', async () => {
    await speakLocale('fr-FR');
    const t = eventFactory({ terminalId: 'till-3', start: '2025-07-01T16:05:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Anna K.', cards: ['0412345678901'], welcomeBonus: 0 });
    const earned = t.earned(M, 1234, undefined, { total: 123_450 });
    const slip = slipOf(earned, shownAfter([enrolled, earned], 1));
    const text = lines(slip);
    expect(text).toContain(`Magasin ${earned.storeId}, terminal till-3`);
    expect(text).toContain('Caissier : Camille D.');
    expect(text.some((l) => /^Membre +Anna K\.$/.test(l))).toBe(true);
    expect(text.some((l) => /^Carte +finissant par 8901$/.test(l))).toBe(true);
    expect(text.some((l) => /^Total des achats +1 234,50 EUR$/.test(l))).toBe(true);
    expect(text.some((l) => /^Points gagnés +\+1 234$/.test(l))).toBe(true);
    expect(text.some((l) => /^Solde \(en attente\) +1 234 points$/.test(l))).toBe(true);
    expect(text).toContain('En attente de confirmation du siège.');
    expect(text.some((l) => /^Réf\. [0-9a-f-]{12}$/.test(l))).toBe(true);
    expect(text.filter((l) => !PRINTABLE.test(l))).toEqual([]);
    expect(slipSchema.parse(slip)).toEqual(slip);
    expect(missingKeys()).toEqual([]);
  });

  it('a French store: a redemption, the welcome, and points expiring in the singular and plural', async () => {
    await speakLocale('fr-FR');
    const t = eventFactory({ start: '2025-02-01T10:00:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Bo L.', welcomeBonus: 1 });
    expect(lines(slipOf(enrolled, shownAfter([enrolled], 0)))).toEqual(
      expect.arrayContaining(['Bienvenue chez Test program !']),
    );
    const welcome = lines(slipOf(enrolled, shownAfter([enrolled], 0)));
    expect(welcome.some((l) => /^Bonus de bienvenue +\+1$/.test(l))).toBe(true);
    expect(welcome.some((l) => /^Solde \(en attente\) +1 point$/.test(l))).toBe(true);

    const earned = t.earned(M, 1500);
    const redeemed = t.redeemed(M, 300, '2025-03-15T10:00:00.000Z', { rewardId: 'coffee', quantity: 2 });
    const redemption = lines(slipOf(redeemed, shownAfter([enrolled, earned, redeemed], 3)));
    expect(redemption).toContain('Récompense utilisée');
    expect(redemption.some((l) => /^2 x Café offert +-300$/.test(l))).toBe(true);
    expect(redemption.some((l) => /^Solde +1 201 points$/.test(l))).toBe(true);
    // The points of Feb 1 expire Apr 1: within 30 days of Mar 15 (the counter's EXPIRING_SOON_DAYS).
    expect(redemption.some((l) => /^\d[\d ]* points expirent dans \d+ jours$/.test(l))).toBe(true);
    expect(slipWordsFor('fr-FR').expire(1, 30)).toBe('1 point expire dans 30 jours');
    expect(slipWordsFor('fr-FR').expire(1200, 30)).toBe('1 200 points expirent dans 30 jours');
  });

  it('a French store: a return with its lines, and the lines it only counts', async () => {
    await speakLocale('fr-FR');
    const t = eventFactory({ start: '2025-07-01T16:05:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Anna K.' });
    const sale = t.earned(M, 120);
    const items = Array.from({ length: 12 }, (_, i) => ({
      sku: `sku-${i}`,
      category: 'general',
      quantity: 1,
      unitPrice: 100,
      discount: 0,
    }));
    const many = { ...sale, payload: { ...sale.payload, lines: items } };
    const returned = t.seal('points-returned', M, {
      original: many,
      lines: items.map((l, i) => ({ line: i, sku: l.sku, quantity: 1 })),
      points: 12,
      spend: 1200,
      reason: 'Abîmé',
      managerId: 'm-1',
    });
    const text = lines(slipOf(returned, shownAfter([enrolled, sale, returned], 2)));
    expect(text).toContain('Articles retournés');
    expect(text.some((l) => /^Vente du +2025-07-01 18:06$/.test(l))).toBe(true);
    expect(text.some((l) => /^Réf\. vente +[0-9a-f-]{12}$/.test(l))).toBe(true);
    expect(text.some((l) => /^1 x sku-0 +ligne 1$/.test(l))).toBe(true);
    expect(text).toContain('et 2 autres lignes');
    expect(text.some((l) => /^Points repris +-12$/.test(l))).toBe(true);
    expect(slipWordsFor('fr-FR').moreLines(1)).toBe('et 1 autre ligne');
    expect(text.filter((l) => !PRINTABLE.test(l))).toEqual([]);
  });

  it("an English store: src-shared's English slip, line for line", async () => {
    await speakLocale('en-IE');
    const t = eventFactory({ start: '2025-07-01T16:05:00.000Z' });
    const enrolled = t.enrolled(M, { displayName: 'Anna K.', cards: ['0412345678901'] });
    const earned = t.earned(M, 1234, undefined, { total: 123_450 });
    const shown = shownAfter([enrolled, earned], 1);
    const english = buildSlip({
      event: earned,
      shown,
      program,
      store: { id: earned.storeId },
      cashier: { name: CASHIER.name },
      expiringWithinDays: 30,
    });
    const slip = slipOf(earned, shown);
    expect(slip.lines).toEqual(english.lines);
    expect(lines(slip).some((l) => /^Purchase total +1234\.50 EUR$/.test(l))).toBe(true);
  });

  it("money on a slip: the locale's digits with the code, plain spaces, never through a float", () => {
    expect(slipMoney(123_450, 'EUR', 'fr-FR')).toBe('1 234,50 EUR');
    expect(slipMoney(-5, 'EUR', 'fr-FR')).toBe('-0,05 EUR');
    expect(slipMoney(1240, 'JPY', 'fr-FR')).toBe('1 240 JPY');
    expect(slipMoney(500, 'EUR', 'fr-BE')).toMatch(/^5,00 EUR$/);
    expect(slipMoney(123_450, 'EUR', 'fr-FR')).toMatch(PRINTABLE);
  });
});

describe("the shift summary's slip in the store's language", () => {
  const ana = { cashierId: 'c-1', ...emptyShiftFigures(), sales: 2, spend: 123_450, pointsIssued: 1_240 };
  const summary = {
    businessDay: '2025-03-05',
    terminalId: 't-1',
    cashiers: [ana],
    totals: sumShiftFigures([ana]),
    counted: 2,
    notCounted: 1,
  };
  const input = {
    summary,
    program: { name: 'Bean There', currency: 'EUR', timeZone: 'Europe/Paris' },
    storeId: 'paris',
    names: new Map([['c-1', 'Ana B.']]),
    printedAt: Date.parse('2025-03-05T21:00:00Z'),
    newId: () => '00000000-0000-4000-8000-000000000001',
  };
  const texts = (slips: readonly Slip[]) =>
    slips.flatMap((slip) =>
      slip.lines.map((l) =>
        l.kind === 'pair' ? `${l.label}: ${l.value}` : l.kind === 'text' ? l.text : '---',
      ),
    );

  it('is English line for line in an English store, French in a French one, every character printable', async () => {
    await speakLocale('en-IE');
    expect(texts(buildShiftSlips({ ...input, words: shiftSlipWordsFor('en-IE') }))).toEqual(
      texts(buildShiftSlips(input)),
    );
    await speakLocale('fr-FR');
    const french = texts(buildShiftSlips({ ...input, words: shiftSlipWordsFor('fr-FR') }));
    expect(french).toContain('Résumé de service 2025-03-05');
    expect(french).toContain('Ventes: 2, 1 234,50 EUR');
    expect(french).toContain('Points émis / utilisés: +1 240 / -0');
    expect(french).toContain('2 événements comptés');
    expect(french).toContain('1 refusé par le siège, non compté');
    expect(french).toContain('Total de la caisse');
    for (const line of french) expect(line, line).toMatch(PRINTABLE);
    expect(french.join('\n')).not.toMatch(/\b(Sales|Till total|counted|Shift summary)\b/);
    expect(missingKeys()).toEqual([]);
  });
});
