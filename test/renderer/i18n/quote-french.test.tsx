// The points quote's explanation in the store's language: the panel writes each line's detail from the
// quote's terms (every kind of rule line at once), in French with the store's money and numbers, no English
// left besides HQ's rule labels and no key missing, while in English it reads as the engine's words with
// the store's money; and the event's recorded English detail is untouched.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { QuotePanel } from '../../../src-renderer/components/quote-panel.js';
import { missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import { quote } from '../../../src-shared/engine/quote.js';
import { basket, line, makeProgram, perEuro, quoteMember, WEDNESDAY } from '../../shared/engine/builders.js';
import { textOf } from '../../support/render-text.js';

// HQ's labels, in French as a French store's HQ writes them: the counter shows them as they are.
const program = makeProgram({
  rules: [
    { ...perEuro, label: 'Points de base' },
    { id: 'bottles', label: 'Par bouteille', kind: 'per-item', points: 5, scope: { categories: ['wine'] } },
    { id: 'coffee', label: 'Café', kind: 'multiplier', factor: 3, scope: { categories: ['coffee'] } },
    { id: 'visit', label: 'Passage', kind: 'per-visit', points: 20 },
    { id: 'three', label: 'Trois et plus', kind: 'fixed-bonus', points: 50, minQuantity: 3 },
  ],
  earning: { multiplierStacking: 'add' },
  tiers: {
    basis: 'points',
    windowMonths: 12,
    levels: [
      { id: 'silver', label: 'Argent', threshold: 0 },
      { id: 'gold', label: 'Or', threshold: 1000, multiplier: 1.5 },
    ],
  },
  bonuses: { referral: { referrer: 100, newMember: 1500 } },
});
// A referred gold member's first purchase: a line of every kind.
const q = quote(
  basket(line('coffee', 499), line('wine', 1200, 2), line('food', 123_411)),
  quoteMember({ tier: 'gold', referredBy: 'm-0', purchases: 0 }),
  program,
  WEDNESDAY,
);

const panel = () => renderToStaticMarkup(<QuotePanel quote={q} error={null} updating={false} hasLines />);
/** Each line's detail as the cashier reads it. */
const details = (html: string) =>
  [...html.matchAll(/<span class="quote-line-detail">([^<]*)<\/span>/g)].map((m) => textOf(m[1] ?? ''));

afterEach(async () => {
  await speakLocale('en-IE');
});

describe('the quote panel explanation', () => {
  it('has a line of every kind to word', () => {
    expect(q.terms.map((t) => t.kind)).toEqual([
      'per-amount',
      'per-item',
      'multiplier',
      'multiplier',
      'visit-bonus',
      'threshold-bonus',
      'referral',
    ]);
  });

  it('writes every detail in French with French money and numbers, no English left, no key missing', async () => {
    await speakLocale('fr-FR');
    const html = panel();
    expect(details(html)).toEqual([
      '1 pt par 1,00 € sur 1 263,10 €',
      '5 pts par article sur 2 articles',
      '×3 sur 4,99 €',
      '×1,5 sur 1 263,10 € et 2 articles',
      '+20',
      '+50 à partir de 3 articles',
      '+1 500',
    ]);
    // The referral welcome is the engine's line, not HQ's: it is worded too.
    expect(textOf(html)).toContain('Bienvenue du parrainage +1 500 +1 500 points');
    const text = textOf(html);
    for (const english of [
      /\bper\b/,
      /\bon\b/,
      /\bitems?\b/,
      /\bfor\b/,
      /or more/,
      /\band\b/,
      /Referral/,
      /EUR/,
    ])
      expect(text).not.toMatch(english);
    expect(missingKeys()).toEqual([]);
  });

  it('writes the same terms in English with the store money, the recorded detail unchanged', () => {
    expect(details(panel())).toEqual([
      '1 pt per €1.00 on €1,263.10',
      '5 pts per item on 2 items',
      '×3 on €4.99',
      '×1.5 on €1,263.10 and 2 items',
      '+20',
      '+50 for 3 items or more',
      '+1,500',
    ]);
    expect(textOf(panel())).toContain('Referral welcome +1,500 +1,500 points');
    // What the event records stays the engine's fixed English.
    expect(q.explanation.map((l) => l.detail)[3]).toBe('×1.5 on 1263.10 EUR and 2 items');
    expect(missingKeys()).toEqual([]);
  });
});
