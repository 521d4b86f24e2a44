// Voiding (refunding) one of this terminal's transactions for the member: the void is a new event that
// reverses the original exactly; nothing is deleted. Only earn, redeem, adjust and bonus events can be
// voided, once each, and never one HQ refused: the services list them with the rule's answer for each.
// A void cannot be taken back, so Void asks first (the transaction and the reason, in a dialog).
import { useEffect, useState } from 'react';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { ShownMember, VoidCandidate } from '../services/index.js';
import { formatDateTime, pointsText } from '../hooks/format.js';
import { useProgram } from '../hooks/use-program.js';
import type { SignedIn } from '../hooks/use-session.js';
import { useSession } from '../hooks/use-session.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { TextField } from './field.js';
import { ErrorMessage, SuccessMessage } from './messages.js';
import { eventText } from './event-text.js';
import { refusalText } from '../i18n/refusals.js';

/** Recent transactions offered for a void. */
const RECENT = 10;

export function VoidPanel(props: {
  member: ShownMember;
  manager: SignedIn;
  onDone: (m: ShownMember) => void;
}) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const program = useProgram();
  const t = useCounterText();
  const memberId = props.member.member.id;
  const [candidates, setCandidates] = useState<VoidCandidate[]>([]);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  /** The transaction whose Void was tapped, waiting for the manager's confirmation. */
  const [asking, setAsking] = useState<{ row: VoidCandidate; reason: string } | null>(null);

  useEffect(() => {
    const subscription = terminal.services.voidCandidates$(memberId).subscribe(setCandidates);
    return () => subscription.unsubscribe();
  }, [terminal, memberId]);

  const recent = candidates.slice(-RECENT).reverse();

  const describe = (event: LedgerEvent): string => eventText(event, program);

  /** Void tapped: a reason first, then the confirmation. */
  const ask = (row: VoidCandidate) => {
    const text = reason.trim();
    if (!text) {
      setReasonError(t('void.sayWhy'));
      return;
    }
    setReasonError(null);
    setAsking({ row, reason: text });
  };

  const voidOne = async (row: VoidCandidate, text: string) => {
    if (!cashier) return;
    setBusy(true);
    const recorded = await terminal.services.recordVoid({
      cashierId: cashier.id,
      eventId: row.id,
      managerId: props.manager.id,
      reason: text,
    });
    setBusy(false);
    if (!recorded.ok) {
      setResult({ ok: false, text: t('void.notVoided', { message: refusalText(recorded.error) }) });
      return;
    }
    setReason('');
    const after = recorded.value.member;
    if (after) props.onDone(after);
    setResult({
      ok: true,
      text: after ? t('void.voidedBalance', { balance: pointsText(after.balance.total) }) : t('void.voided'),
    });
  };

  return (
    <section className="panel" aria-labelledby="void-title">
      <h2 id="void-title">{t('void.title')}</h2>
      <TextField
        label={t('void.reason')}
        error={reasonError}
        value={reason}
        onChange={(value) => {
          setReason(value);
          setReasonError(null);
        }}
      />
      {result ? (
        result.ok ? (
          <SuccessMessage>{result.text}</SuccessMessage>
        ) : (
          <ErrorMessage>{result.text}</ErrorMessage>
        )
      ) : null}
      {recent.length === 0 ? (
        <p className="hint">{t('void.none')}</p>
      ) : (
        <ul className="void-list" aria-label={t('void.recent')}>
          {recent.map((row) => {
            const done = row.refusal?.reason === 'already-voided';
            const refused = row.refusal !== null && !done;
            return (
              <li key={row.id} className="void-item">
                <span className="void-item-text">
                  <span>{describe(row.event)}</span>
                  <span className="void-item-meta">
                    #{row.terminalSeq} · {formatDateTime(Date.parse(row.occurredAt), program?.timeZone)} ·{' '}
                    {t(`manager.eventStatuses.${row.status}`)}
                  </span>
                </span>
                {done ? (
                  <span className="badge">{t('void.badges.voided')}</span>
                ) : row.refusal?.reason === 'returned' ? (
                  <span className="badge">{t('void.badges.returned')}</span>
                ) : refused ? (
                  <span className="badge badge-bad">{t('void.badges.refused')}</span>
                ) : (
                  <ActionButton variant="danger" disabled={busy} onClick={() => ask(row)}>
                    {t('void.void')}
                  </ActionButton>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {asking ? (
        <ConfirmDialog
          title={t('void.confirmTitle')}
          confirmLabel={t('void.confirm')}
          cancelLabel={t('void.keep')}
          variant="danger"
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            const { row, reason: text } = asking;
            setAsking(null);
            void voidOne(row, text);
          }}
        >
          <dl className="facts">
            <dt>{t('void.facts.transaction')}</dt>
            <dd>{describe(asking.row.event)}</dd>
            <dt>{t('void.facts.recorded')}</dt>
            <dd>
              #{asking.row.terminalSeq} ·{' '}
              {formatDateTime(Date.parse(asking.row.occurredAt), program?.timeZone)}
            </dd>
            <dt>{t('void.facts.reason')}</dt>
            <dd>{asking.reason}</dd>
          </dl>
          <p>{t('void.warning')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
