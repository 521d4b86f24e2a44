// The points the basket earns and why, line by line, as the engine explains it: the cashier can tell the
// customer "triple points on fruit and veg" rather than just a number. The detail is written from the
// quote's terms in the store's language and money format; the event still records the engine's English.
import type { TFunction } from 'i18next';
import type { ExplanationTerms } from '../../src-shared/engine/explanation.js';
import type { EarnQuote } from '../../src-shared/engine/quote.js';
import { formatNumber, moneyText, pointsText, signedPointsText } from '../hooks/format.js';
import { currentLocale, useCounterText } from '../i18n/index.js';

// One formatter per locale: the panel re-renders on every scan.
const factorFormats = new Map<string, Intl.NumberFormat>();

/** "×1.5" (en-IE), "×1,5" (fr-FR) from hundredths. */
function factorText(hundredths: number, locale: string = currentLocale()): string {
  let format = factorFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    factorFormats.set(locale, format);
  }
  // Hundredths to a decimal string, never through a float: 150 → "1.50".
  const digits = String(hundredths).padStart(3, '0');
  return `×${format.format(`${digits.slice(0, -2)}.${digits.slice(-2)}` as `${number}`)}`;
}

/** One explanation line's detail in the store's language, from its terms. */
export function explanationText(terms: ExplanationTerms, t: TFunction): string {
  const items = (n: number) => t('quote.items', { count: n, formatted: formatNumber(n) });
  switch (terms.kind) {
    case 'per-amount':
      return t('quote.perAmount', {
        count: terms.points,
        formatted: formatNumber(terms.points),
        per: moneyText(terms.per, terms.currency),
        amount: moneyText(terms.amount, terms.currency),
      });
    case 'per-item':
      return t('quote.perItem', {
        count: terms.points,
        formatted: formatNumber(terms.points),
        items: items(terms.quantity),
      });
    case 'multiplier': {
      const amount = terms.amount > 0 ? moneyText(terms.amount, terms.currency) : null;
      const units = terms.quantity > 0 ? items(terms.quantity) : null;
      const on = amount && units ? t('quote.both', { amount, items: units }) : (amount ?? units ?? '');
      return t('quote.multiplier', { factor: factorText(terms.factor), on });
    }
    case 'visit-bonus':
    case 'referral':
      return t('quote.bonus', { points: formatNumber(terms.points) });
    case 'threshold-bonus':
      return t('quote.threshold', { points: formatNumber(terms.points), items: items(terms.minQuantity) });
  }
}

export function QuotePanel(props: {
  quote: EarnQuote | null;
  error: string | null;
  updating: boolean;
  /** Whether the basket has lines (an empty basket asks for some; a full one earning nothing says so). */
  hasLines: boolean;
}) {
  const { quote, error } = props;
  const t = useCounterText();
  return (
    // It scrolls on its own when the explanation is long: focusable, so the keyboard scrolls it too.
    <section className="quote" aria-label={t('sale.quote.region')} aria-busy={props.updating} tabIndex={0}>
      <h2 className="section-title">{t('sale.quote.title')}</h2>
      <p className="quote-total">{pointsText(quote?.points ?? 0)}</p>
      {error ? <p className="field-error">{error}</p> : null}
      {quote && quote.explanation.length > 0 ? (
        <ul className="quote-lines">
          {quote.explanation.map((line, i) => {
            // quote() gives every line its terms; without them the engine's English is still right.
            const terms = quote.terms[i];
            return (
              <li key={`${line.ruleId}-${i}`} className="quote-line">
                <span className="quote-line-label">
                  {terms?.kind === 'referral' ? t('quote.referralLabel') : line.label}
                </span>
                <span className="quote-line-detail">{terms ? explanationText(terms, t) : line.detail}</span>
                <span className="quote-line-points">{signedPointsText(line.points)}</span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="hint">{props.hasLines ? t('sale.quote.nothingEarns') : t('sale.quote.empty')}</p>
      )}
    </section>
  );
}
