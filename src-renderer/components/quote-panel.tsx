// The points the basket earns and why, line by line, as the engine explains it: the cashier can tell the
// customer "triple points on fruit and veg" rather than just a number.
import type { EarnQuote } from '../../src-shared/engine/quote.js';
import { pointsText, signedPointsText } from '../hooks/format.js';
import { useCounterText } from '../i18n/index.js';

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
          {quote.explanation.map((line, i) => (
            <li key={`${line.ruleId}-${i}`} className="quote-line">
              <span className="quote-line-label">{line.label}</span>
              <span className="quote-line-detail">{line.detail}</span>
              <span className="quote-line-points">{signedPointsText(line.points)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{props.hasLines ? t('sale.quote.nothingEarns') : t('sale.quote.empty')}</p>
      )}
    </section>
  );
}
