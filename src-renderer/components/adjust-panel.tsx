// A manager's points adjustment: a reason code from the fixed list (HQ reports by it), a signed number of
// points, and a note.
import { useState, type FormEvent } from 'react';
import { adjustmentReasons } from '../../src-shared/ledger/events.js';
import type { ShownMember } from '../services/index.js';
import { parsePointsChange, pointsText, signedPointsText } from '../hooks/format.js';
import type { SignedIn } from '../hooks/use-session.js';
import { useSession } from '../hooks/use-session.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';
import { Field, TextField } from './field.js';
import { ErrorMessage, SuccessMessage } from './messages.js';
import { refusalText } from '../i18n/refusals.js';

type Reason = (typeof adjustmentReasons)[number];

export function AdjustPanel(props: {
  member: ShownMember;
  manager: SignedIn;
  onDone: (m: ShownMember) => void;
}) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const t = useCounterText();
  const [reason, setReason] = useState<Reason | ''>('');
  const [points, setPoints] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ reason?: string; points?: string; note?: string }>({});
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const change = parsePointsChange(points);
    const problems: typeof errors = {};
    if (!reason) problems.reason = t('adjust.chooseReason');
    if (change === null) problems.points = t('adjust.pointsProblem');
    if (note.length > 200) problems.note = t('adjust.noteTooLong');
    setErrors(problems);
    setResult(null);
    if (!reason || change === null || problems.note || !cashier) return;
    setBusy(true);
    const recorded = await terminal.services.recordAdjust({
      cashierId: cashier.id,
      memberId: props.member.member.id,
      managerId: props.manager.id,
      points: change,
      reasonCode: reason,
      note: note.trim() || null,
    });
    setBusy(false);
    if (!recorded.ok) {
      setResult({ ok: false, text: t('adjust.notAdjusted', { message: refusalText(recorded.error) }) });
      return;
    }
    setPoints('');
    setNote('');
    const after = recorded.value.member;
    if (after) props.onDone(after);
    setResult({
      ok: true,
      text: after
        ? t('adjust.adjustedBalance', {
            change: signedPointsText(change),
            balance: pointsText(after.balance.total),
          })
        : t('adjust.adjusted', { change: signedPointsText(change) }),
    });
  };

  return (
    <section className="panel" aria-labelledby="adjust-title">
      <h2 id="adjust-title">{t('adjust.title')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('adjust.reasonCode')} error={errors.reason}>
          {(control) => (
            <select {...control} value={reason} onChange={(e) => setReason(e.target.value as Reason | '')}>
              <option value="">{t('adjust.choose')}</option>
              {adjustmentReasons.map((r) => (
                <option key={r} value={r}>
                  {t(`adjust.reasons.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('adjust.points')} error={errors.points} hint={t('adjust.pointsHint')}>
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={points}
              onChange={(e) => setPoints(e.target.value)}
            />
          )}
        </Field>
        <TextField label={t('adjust.note')} error={errors.note} value={note} onChange={setNote} />
        {result ? (
          result.ok ? (
            <SuccessMessage>{result.text}</SuccessMessage>
          ) : (
            <ErrorMessage>{result.text}</ErrorMessage>
          )
        ) : null}
        <ActionButton type="submit" variant="primary" disabled={busy}>
          {t('adjust.submit')}
        </ActionButton>
      </form>
    </section>
  );
}
