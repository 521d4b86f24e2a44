// Returning some lines of one of the member's sales at this terminal (manager): pick the sale, choose how
// many units of each line come back (never more than the line has left: the services say how many), see
// the points that takes back (the shared returnClawback, the figure recordReturn records and HQ re-checks),
// confirm (sale, lines, points back, balance after), then record. A slip follows, as after a sale.
import { useEffect, useState } from 'react';
import type { ReturnedLine } from '../../src-shared/ledger/events.js';
import { formatDateTime, moneyText, pointsText } from '../hooks/format.js';
import { useProgram } from '../hooks/use-program.js';
import type { SignedIn } from '../hooks/use-session.js';
import { useSession } from '../hooks/use-session.js';
import { useShownSlip, useSlip } from '../hooks/use-slip.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { i18n, useCounterText } from '../i18n/index.js';
import {
  previewReturn,
  type ReturnCandidate,
  type ReturnCandidateLine,
  type ShownMember,
} from '../services/index.js';
import { ActionButton } from './action-button.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { TextField } from './field.js';
import { ErrorMessage, SuccessMessage } from './messages.js';
import { SlipView } from './slip-view.js';
import { refusalText } from '../i18n/refusals.js';

/** Recent sales offered for a return. */
const RECENT = 10;

/** Units chosen per line index. */
export type ChosenUnits = ReadonlyMap<number, number>;

/** The lines a choice returns, in line order (lines at 0 left out). */
export function chosenLines(candidate: ReturnCandidate, chosen: ChosenUnits): ReturnedLine[] {
  return candidate.lines.flatMap((l) => {
    const quantity = Math.min(chosen.get(l.line) ?? 0, l.returnable);
    return quantity > 0 ? [{ line: l.line, sku: l.sku, quantity }] : [];
  });
}

/** A sale in a few words: its total and points, when and where HQ stands on it. */
export function saleText(c: ReturnCandidate): string {
  const { basket, points } = c.event.payload;
  return i18n.t('return.sale', {
    total: moneyText(basket.total, basket.currency),
    points: pointsText(points),
  });
}

/** Why a sale is not offered, as a badge. */
function badgeOf(c: ReturnCandidate): string | null {
  switch (c.refusal?.reason) {
    case undefined:
      return null;
    case 'voided':
      return i18n.t('return.badges.voided');
    case 'all-returned':
      return i18n.t('return.badges.allReturned');
    case 'not-counted':
      return i18n.t('return.badges.notCounted');
    case 'no-program':
      return i18n.t('return.badges.noProgram');
    default:
      return i18n.t('return.badges.notReturnable');
  }
}

/** One line of the chosen sale with its − / + buttons (never below 0, never above what is left). */
export function ReturnLineRow(props: {
  line: ReturnCandidateLine;
  currency: string;
  units: number;
  disabled?: boolean;
  onChange: (units: number) => void;
}) {
  const { line, units } = props;
  const t = useCounterText();
  const meta = {
    category: line.category,
    price: moneyText(line.unitPrice, props.currency),
    sold: line.sold,
    returned: line.returned,
    left: line.returnable,
  };
  return (
    <li className="return-line">
      <span className="return-line-text">
        <span className="return-line-sku">{line.sku}</span>
        <span className="void-item-meta">
          {t(line.returned > 0 ? 'return.lineMetaReturned' : 'return.lineMeta', meta)}
        </span>
      </span>
      <span className="return-stepper">
        <button
          type="button"
          className="button button-secondary return-step"
          aria-label={t('return.oneLess', { sku: line.sku })}
          disabled={props.disabled === true || units <= 0}
          onClick={() => props.onChange(units - 1)}
        >
          −
        </button>
        <output className="return-units" aria-label={t('return.toReturn', { sku: line.sku })}>
          {units}
        </output>
        <button
          type="button"
          className="button button-secondary return-step"
          aria-label={t('return.oneMore', { sku: line.sku })}
          disabled={props.disabled === true || units >= line.returnable}
          onClick={() => props.onChange(units + 1)}
        >
          +
        </button>
      </span>
    </li>
  );
}

export function ReturnPanel(props: {
  member: ShownMember;
  manager: SignedIn;
  onDone: (m: ShownMember) => void;
}) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const program = useProgram();
  const slip = useSlip();
  const shownSlip = useShownSlip();
  const t = useCounterText();
  const memberId = props.member.member.id;
  const [candidates, setCandidates] = useState<ReturnCandidate[]>([]);
  const [saleId, setSaleId] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ChosenUnits>(new Map());
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string; eventId?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    const subscription = terminal.services.returnCandidates$(memberId).subscribe(setCandidates);
    return () => subscription.unsubscribe();
  }, [terminal, memberId]);

  const recent = candidates.slice(-RECENT).reverse();
  const sale = candidates.find((c) => c.id === saleId) ?? null;
  const lines = sale ? chosenLines(sale, chosen) : [];
  const preview = sale && lines.length > 0 ? previewReturn(sale, lines) : null;
  const when = (iso: string) => formatDateTime(Date.parse(iso), program?.timeZone);

  const pick = (id: string | null) => {
    setSaleId(id);
    setChosen(new Map());
    setResult(null);
  };

  const ask = () => {
    const text = reason.trim();
    if (!text) {
      setReasonError(t('return.sayWhy'));
      return;
    }
    setReasonError(null);
    setAsking(true);
  };

  const record = async (c: ReturnCandidate, returned: ReturnedLine[]) => {
    if (!cashier) return;
    setBusy(true);
    const recorded = await terminal.services.recordReturn({
      cashierId: cashier.id,
      memberId,
      originalId: c.id,
      lines: returned,
      managerId: props.manager.id,
      reason: reason.trim(),
    });
    setBusy(false);
    if (!recorded.ok) {
      setResult({ ok: false, text: t('return.notReturned', { message: refusalText(recorded.error) }) });
      return;
    }
    const after = recorded.value.member;
    const taken = pointsText(recorded.value.event.payload.points);
    if (after) props.onDone(after);
    slip(recorded.value);
    setReason('');
    setChosen(new Map());
    setResult({
      ok: true,
      eventId: recorded.value.event.id,
      text: after
        ? t('return.returnedBalance', { points: taken, balance: pointsText(after.balance.total) })
        : t('return.returned', { points: taken }),
    });
  };

  const returnSlip = result?.eventId && shownSlip?.slip.eventId === result.eventId ? shownSlip : null;

  return (
    <section className="panel" aria-labelledby="return-title">
      <h2 id="return-title">{t('return.title')}</h2>
      {result ? (
        result.ok ? (
          <SuccessMessage>{result.text}</SuccessMessage>
        ) : (
          <ErrorMessage>{result.text}</ErrorMessage>
        )
      ) : null}
      {returnSlip ? <SlipView slip={returnSlip.slip} print={returnSlip.print} /> : null}
      {sale ? (
        <div className="return-sale">
          <p className="return-sale-title">
            <strong>{saleText(sale)}</strong>{' '}
            <span className="void-item-meta">
              #{sale.terminalSeq} · {when(sale.occurredAt)}
            </span>
          </p>
          <ul className="return-lines" aria-label={t('return.lines')}>
            {sale.lines.map((l) => (
              <ReturnLineRow
                key={l.line}
                line={l}
                currency={sale.event.payload.basket.currency}
                units={Math.min(chosen.get(l.line) ?? 0, l.returnable)}
                disabled={busy}
                onChange={(units) => setChosen(new Map(chosen).set(l.line, units))}
              />
            ))}
          </ul>
          <p className="return-preview" aria-live="polite">
            {t('return.pointsBack')} <strong>{pointsText(preview?.points ?? 0)}</strong>
          </p>
          <TextField
            label={t('return.reason')}
            error={reasonError}
            value={reason}
            onChange={(value) => {
              setReason(value);
              setReasonError(null);
            }}
          />
          <div className="actions">
            <ActionButton
              variant="danger"
              disabled={busy || lines.length === 0 || preview === null}
              onClick={ask}
            >
              {t('return.submit')}
            </ActionButton>
            <ActionButton disabled={busy} onClick={() => pick(null)}>
              {t('return.otherSale')}
            </ActionButton>
          </div>
        </div>
      ) : recent.length === 0 ? (
        <p className="hint">{t('return.none')}</p>
      ) : (
        <ul className="void-list" aria-label={t('return.recent')}>
          {recent.map((c) => {
            const badge = badgeOf(c);
            return (
              <li key={c.id} className="void-item">
                <span className="void-item-text">
                  <span>{saleText(c)}</span>
                  <span className="void-item-meta">
                    #{c.terminalSeq} · {when(c.occurredAt)} · {t(`manager.eventStatuses.${c.status}`)}
                  </span>
                </span>
                {badge ? (
                  <span className={c.refusal?.reason === 'all-returned' ? 'badge' : 'badge badge-bad'}>
                    {badge}
                  </span>
                ) : (
                  <ActionButton disabled={busy} onClick={() => pick(c.id)}>
                    {t('return.chooseLines')}
                  </ActionButton>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {asking && sale && preview ? (
        <ConfirmDialog
          title={t('return.confirmTitle')}
          confirmLabel={t('return.confirm')}
          variant="danger"
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            void record(sale, lines);
          }}
        >
          <dl className="facts">
            <dt>{t('return.facts.sale')}</dt>
            <dd>
              {saleText(sale)} · #{sale.terminalSeq} · {when(sale.occurredAt)}
            </dd>
            <dt>{t('return.facts.lines')}</dt>
            <dd>
              {lines.map((l) => t('return.lineQuantity', { quantity: l.quantity, sku: l.sku })).join(', ')}
            </dd>
            <dt>{t('return.facts.pointsBack')}</dt>
            <dd>{pointsText(preview.points)}</dd>
            <dt>{t('return.facts.balanceAfter')}</dt>
            <dd>{pointsText(props.member.balance.total - preview.points)}</dd>
            <dt>{t('return.facts.reason')}</dt>
            <dd>{reason.trim()}</dd>
          </dl>
          <p>{t('return.warning')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
