// A manager's points adjustment: a reason code from the fixed list (HQ reports by it), a signed number of
// points, and a note.
import { useState, type FormEvent } from 'react';
import { adjustmentReasons } from '../../src-shared/ledger/events.js';
import type { ShownMember } from '../services/index.js';
import { humanise, parsePointsChange, pointsText, signedPointsText } from '../hooks/format.js';
import type { SignedIn } from '../hooks/use-session.js';
import { useSession } from '../hooks/use-session.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { ActionButton } from './action-button.js';
import { Field } from './field.js';
import { ErrorMessage, SuccessMessage } from './messages.js';

type Reason = (typeof adjustmentReasons)[number];

export function AdjustPanel(props: {
  member: ShownMember;
  manager: SignedIn;
  onDone: (m: ShownMember) => void;
}) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
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
    if (!reason) problems.reason = 'Choose a reason code';
    if (change === null) problems.points = 'A whole number of points, not zero: +50 adds, -20 takes away';
    if (note.length > 200) problems.note = 'At most 200 characters';
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
      setResult({ ok: false, text: `Not adjusted: ${recorded.error.message}` });
      return;
    }
    setPoints('');
    setNote('');
    const after = recorded.value.member;
    if (after) props.onDone(after);
    setResult({
      ok: true,
      text: `Points adjusted: ${signedPointsText(change)}${after ? `. New balance ${pointsText(after.balance.total)}` : ''}`,
    });
  };

  return (
    <section className="panel" aria-labelledby="adjust-title">
      <h2 id="adjust-title">Adjust points</h2>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Reason code" error={errors.reason}>
          {(control) => (
            <select {...control} value={reason} onChange={(e) => setReason(e.target.value as Reason | '')}>
              <option value="">Choose…</option>
              {adjustmentReasons.map((r) => (
                <option key={r} value={r}>
                  {humanise(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Points" error={errors.points} hint="+50 adds points, -20 takes them away.">
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
        <Field label="Note" error={errors.note}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              maxLength={200}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          )}
        </Field>
        {result ? (
          result.ok ? (
            <SuccessMessage>{result.text}</SuccessMessage>
          ) : (
            <ErrorMessage>{result.text}</ErrorMessage>
          )
        ) : null}
        <ActionButton type="submit" variant="primary" disabled={busy}>
          Adjust
        </ActionButton>
      </form>
    </section>
  );
}
