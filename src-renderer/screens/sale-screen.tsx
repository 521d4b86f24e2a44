// A purchase earning points: scan products (or key in amounts by category), watch the points quote and
// its explanation update as the basket changes, then confirm. The quote is the engine's, on the same
// program HQ uses to re-check the sale. The amount has an on-screen keypad for touch tills; what happens
// (a scan answered, a refusal) shows in the counter's one message slot. A sale on a card the till does not
// know (memberId its placeholder, src-shared/ledger/card-earn.ts) says so, and ends back at the idle screen.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { earnsNothing, type EarnQuote } from '../../src-shared/engine/quote.js';
import { cardOfPlaceholder } from '../../src-shared/ledger/card-earn.js';
import { minorDigits } from '../../src-shared/kernel/money.js';
import { ActionButton } from '../components/action-button.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Field } from '../components/field.js';
import { Keypad, KeypadToggle, useKeypadShown } from '../components/keypad.js';
import { QuotePanel } from '../components/quote-panel.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { useCustomerSale } from '../customer/publish.js';
import type { Product } from '../services/index.js';
import { parseAmount } from '../hooks/amount.js';
import {
  addLine,
  basketTotal,
  gtinCandidates,
  keyedLine,
  lineFromProduct,
  removeLine,
  saleLineTotal,
  toBasket,
  type SaleLine,
} from '../hooks/basket.js';
import { amountExample, decimalSeparator, humanise, moneyText, pointsText } from '../hooks/format.js';
import { maskedCard, saleScanAnswer } from '../hooks/scan-outcome.js';
import { useCategories } from '../hooks/use-categories.js';
import { useCounter } from '../hooks/use-counter.js';
import { useUnsavedWork } from '../hooks/use-leave-guard.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useMember } from '../hooks/use-member.js';
import { useProgram } from '../hooks/use-program.js';
import { useSaleBasket } from '../hooks/use-sale-basket.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useSlip } from '../hooks/use-slip.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { i18n, useCounterText } from '../i18n/index.js';
import { refusalText } from '../i18n/refusals.js';

/** The category offered when the catalog has no products yet. */
const FALLBACK_CATEGORY = 'general';

export function SaleScreen(props: { memberId: string; firstLine: SaleLine | null }) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const { go } = useCounter();
  const program = useProgram();
  const { shown } = useMember(props.memberId);
  const card = cardOfPlaceholder(props.memberId);
  const known = useCategories();
  const categories = known.length > 0 ? known : [FALLBACK_CATEGORY];
  const currency = program?.currency ?? 'EUR';

  // Kept across a page reload (use-sale-basket.ts).
  const [lines, setLines, seq] = useSaleBasket(props.memberId, props.firstLine);
  const [amount, setAmount] = useState('');
  const [category, setCategory] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ amount?: string; category?: string }>({});
  const [quote, setQuote] = useState<EarnQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [updating, setUpdating] = useState(false);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const [amountPad, toggleAmountPad] = useKeypadShown();
  const amountPadId = useId();
  const [cancelling, setCancelling] = useState(false);
  const issueSlip = useSlip();
  const t = useCounterText();
  // The basket and the points it earns, on the customer display too.
  useCustomerSale(props.memberId, lines, updating || quoteError ? null : (quote?.points ?? null));
  // Sign out asks first while the basket has lines.
  useUnsavedWork(lines.length > 0 ? basketText(lines.length) : null);

  // The quote follows the basket; only the answer to the latest basket is shown.
  const quoteSeq = useRef(0);
  useEffect(() => {
    const n = ++quoteSeq.current;
    setUpdating(true);
    void terminal.services.quoteEarn(props.memberId, toBasket(lines, currency)).then((result) => {
      if (n !== quoteSeq.current) return;
      setUpdating(false);
      if (result.ok) {
        setQuote(result.value);
        setQuoteError(null);
      } else {
        setQuote(null);
        setQuoteError(refusalText(result.error));
      }
    });
  }, [terminal, props.memberId, lines, currency]);

  const addProduct = (product: Product, code?: string) => {
    if (product.currency !== currency) {
      toast.error(
        t('sale.otherCurrency', { product: product.name, productCurrency: product.currency, currency }),
      );
      return;
    }
    // The line is the answer to the scan: an error left from an earlier one is out of date.
    toast.dismissError();
    setLines((current) => addLine(current, lineFromProduct(product, code)));
  };

  useScanHandler((result) => {
    void (async () => {
      if (result.kind === 'product' || (result.kind === 'gs1' && result.gtin)) {
        const scan = result.kind === 'product' ? result : { gtin14: result.gtin ?? '', gtin13: undefined };
        for (const code of gtinCandidates(scan)) {
          const product = await terminal.services.product(code);
          if (product) return addProduct(product, code);
        }
      }
      if (result.kind === 'text') {
        const product = await terminal.services.product(result.text);
        if (product) return addProduct(product);
      }
      // No line added: every other scan is answered (scan-outcome.ts).
      const answer = saleScanAnswer(result);
      toast[answer.kind](answer.text);
    })();
  });

  const addAmount = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseAmount(amount, minorDigits(currency));
    const problems: { amount?: string; category?: string } = {};
    if (!parsed.ok) problems.amount = parsed.error;
    if (!category) problems.category = t('sale.chooseCategory');
    setFieldErrors(problems);
    if (!parsed.ok || !category) return;
    seq.current += 1;
    setLines((current) =>
      addLine(current, keyedLine(parsed.value, category, seq.current, humanise(category))),
    );
    setAmount('');
  };

  const confirm = async () => {
    if (!cashier || lines.length === 0 || busy) return;
    setBusy(true);
    const result = await terminal.services.recordEarn({
      cashierId: cashier.id,
      memberId: props.memberId,
      basket: toBasket(lines, currency),
    });
    setBusy(false);
    if (!result.ok) {
      toast.error(t('sale.notRecorded', { message: refusalText(result.error) }));
      return;
    }
    // Shown on the member's screen and printed without waiting: a printer problem never holds the counter.
    if (card !== null) {
      // No member to show: the points wait for HQ to give them to the card's member.
      go(
        { name: 'idle' },
        {
          kind: 'success',
          text: t('sale.recordedOnCard', {
            card: maskedCard(card),
            points: pointsText(result.value.event.payload.points),
          }),
        },
      );
      return;
    }
    issueSlip(result.value);
    go(
      {
        name: 'member',
        memberId: props.memberId,
        ...(result.value.member ? { shown: result.value.member } : {}),
      },
      {
        kind: 'success',
        text: t('sale.recorded', { points: pointsText(result.value.event.payload.points) }),
      },
    );
  };

  const total = basketTotal(lines);
  const leave = () => go(card !== null ? { name: 'idle' } : { name: 'member', memberId: props.memberId });
  return (
    <>
      <ScreenLayout
        name="sale"
        inert={cancelling}
        header={
          <>
            <h1>{t('sale.title')}</h1>
            <p className="lead">
              {card !== null
                ? t('sale.onCard', { card: maskedCard(card) })
                : shown
                  ? `${shown.member.displayName} · ${pointsText(shown.balance.total)}`
                  : ''}
            </p>
          </>
        }
        actions={
          <>
            <ActionButton
              hotkey="F8"
              variant="primary"
              disabled={lines.length === 0 || busy || !cashier}
              onClick={() => void confirm()}
            >
              {t('sale.confirm')}
            </ActionButton>
            <ActionButton hotkey="Escape" onClick={() => (lines.length > 0 ? setCancelling(true) : leave())}>
              {t('sale.cancel')}
            </ActionButton>
          </>
        }
      >
        <div className="sale-grid">
          <div className="sale-basket">
            <form className="amount-form" onSubmit={addAmount} noValidate>
              <Field label={t('sale.amount')} error={fieldErrors.amount}>
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    placeholder={amountExample(minorDigits(currency))}
                    value={amount}
                    onChange={(e) => setAmount(e.target.value)}
                  />
                )}
              </Field>
              <KeypadToggle shown={amountPad} onToggle={toggleAmountPad} controls={amountPadId} />
              <Field label={t('sale.category')} error={fieldErrors.category}>
                {(control) => (
                  <select {...control} value={category} onChange={(e) => setCategory(e.target.value)}>
                    <option value="">{t('sale.choose')}</option>
                    {categories.map((c) => (
                      <option key={c} value={c}>
                        {humanise(c)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <ActionButton type="submit">{t('sale.addAmount')}</ActionButton>
              {amountPad ? (
                <Keypad
                  id={amountPadId}
                  label={t('sale.amountKeypad')}
                  value={amount}
                  onChange={setAmount}
                  extraKey={decimalSeparator()}
                />
              ) : null}
            </form>
            <h2 className="section-title" id="basket-title">
              {t('sale.basket')}
            </h2>
            <ul className="basket" aria-label={t('sale.basket')}>
              {lines.map((line) => (
                <li key={line.key} className="basket-line">
                  <span className="basket-line-name">
                    {line.name}
                    {line.keyed ? null : (
                      <span className="basket-line-category"> · {humanise(line.category)}</span>
                    )}
                    {program && earnsNothing(program, line) ? (
                      <span className="basket-line-excluded"> {t('sale.noPoints')}</span>
                    ) : null}
                  </span>
                  <span className="basket-line-qty">
                    {line.quantity} × {moneyText(line.unitPrice, currency)}
                  </span>
                  <span className="basket-line-total">{moneyText(saleLineTotal(line), currency)}</span>
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    aria-label={t('sale.removeLine', { name: line.name })}
                    onClick={() => setLines((current) => removeLine(current, line.key))}
                  >
                    {t('sale.remove')}
                  </button>
                </li>
              ))}
            </ul>
            {lines.length === 0 ? <p className="hint">{t('sale.empty')}</p> : null}
            <p className="basket-total">
              {t('sale.total')} <strong>{moneyText(total, currency)}</strong>
            </p>
          </div>
          <QuotePanel quote={quote} error={quoteError} updating={updating} hasLines={lines.length > 0} />
        </div>
      </ScreenLayout>
      {cancelling ? (
        <ConfirmDialog
          title={t('sale.cancelTitle')}
          confirmLabel={t('sale.discard')}
          cancelLabel={t('sale.keep')}
          variant="danger"
          onCancel={() => setCancelling(false)}
          onConfirm={leave}
        >
          <p>
            {t('sale.thrownAway', { basket: basketText(lines.length), total: moneyText(total, currency) })}
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** "The basket's 7 lines": what cancelling the sale throws away. */
function basketText(lines: number): string {
  return i18n.t('sale.basketLines', { count: lines });
}
