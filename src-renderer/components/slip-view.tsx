// The member's slip on screen: the same lines the receipt printer prints (layoutSlip), and whether it was
// printed. Shown on the member's screen after a sale, a redemption or an enrollment, until the cashier
// closes it or the counter moves on (use-slip.ts).
import { layoutSlip, type PrintSlipAnswer, type Slip } from '../../src-shared/receipt/slip.js';
import { useCounter } from '../hooks/use-counter.js';
import { useSession } from '../hooks/use-session.js';
import { dismissSlip, slipShownOn, useShownSlip } from '../hooks/use-slip.js';
import { i18n, useCounterText } from '../i18n/index.js';

/** The width the screen lays the slip out in: a common 80 mm printer's. */
export const SCREEN_COLUMNS = 42;

/** What the screen says of the printing: null when there is nothing to say (no printer configured). */
export function printText(print: 'printing' | PrintSlipAnswer): { text: string; ok: boolean } | null {
  if (print === 'printing') return { text: i18n.t('member.slip.printing'), ok: true };
  if (print.printed) return { text: i18n.t('member.slip.printed'), ok: true };
  // No printer configured: the slip on screen is all there is, nothing to explain.
  if (print.reason === 'no-printer') return null;
  // Main's words, which say it was not printed and why ("Not printed. Out of paper: load a new roll.").
  return { text: print.message, ok: false };
}

/** The slip's lines as the screen shows them (centred ones padded, as on paper). */
export function slipScreenLines(slip: Slip): { text: string; strong: boolean }[] {
  return layoutSlip(slip, SCREEN_COLUMNS).map((line) => ({
    text:
      line.align === 'center'
        ? line.text.padStart(Math.floor((SCREEN_COLUMNS + line.text.length) / 2))
        : line.text,
    strong: line.bold,
  }));
}

export function SlipView(props: { slip: Slip; print: 'printing' | PrintSlipAnswer; onClose?: () => void }) {
  const print = printText(props.print);
  const t = useCounterText();
  return (
    <section className="slip" aria-label={t('member.slip.region')}>
      <h2 className="section-title">{t('member.slip.title')}</h2>
      <pre className="slip-paper">
        {slipScreenLines(props.slip).map((line, i) => (
          <span key={i} className={line.strong ? 'slip-line slip-strong' : 'slip-line'}>
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      <div className="slip-foot">
        {print ? (
          <p className={print.ok ? 'slip-print' : 'slip-print slip-print-bad'} role="status">
            {print.text}
          </p>
        ) : (
          <span />
        )}
        {props.onClose ? (
          <button type="button" className="button button-quiet button-small" onClick={props.onClose}>
            {t('member.slip.close')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** The last slip, on the screen of the member it is for, for the cashier who made it. */
export function SlipSlot() {
  const shown = useShownSlip();
  const { route } = useCounter();
  const { cashier } = useSession();
  if (!shown || !slipShownOn(shown, route, cashier?.id ?? null)) return null;
  return <SlipView slip={shown.slip} print={shown.print} onClose={dismissSlip} />;
}
