// Pick a person, type their PIN, submit: the cashier sign-in and the manager approval share it. The PIN is
// checked in main (TerminalApi.checkPin), against hashes the renderer never sees, behind main's per-person
// lockout; this form shows what main answers: tries left, or a countdown to the end of a lockout. The PIN
// length is the chain's (the program's staff.pinLength).
import { useEffect, useState, type FormEvent } from 'react';
import type { PinCheckAnswer } from '../../src-shared/ipc/index.js';
import { PIN_LENGTH_LIMITS, type PinLength } from '../../src-shared/kernel/pin.js';
import type { Staff } from '../hooks/use-cashiers.js';
import { formatCountdown } from '../hooks/format.js';
import { useNow } from '../hooks/use-now.js';
import { useProgram } from '../hooks/use-program.js';
import type { SignedIn } from '../hooks/use-session.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { i18n, useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';
import { Field } from './field.js';
import { ErrorMessage } from './messages.js';
import { PinPad } from './pin-pad.js';

export interface StaffPinFormProps {
  staff: Staff[];
  /** "Cashier" or "Manager": the select's label. */
  personLabel: string;
  /** What the PIN is for: 'manager' passes a manager's PIN only. */
  purpose: 'sign-in' | 'manager';
  /** "PIN" or "Manager PIN": the password field's label. */
  pinLabel: string;
  submitLabel: string;
  /** Preselected person (by id). */
  initialId?: string;
  onSuccess: (person: SignedIn) => void;
  /** Extra buttons next to submit (Cancel in a dialog). */
  extra?: React.ReactNode;
  autoFocus?: boolean;
}

/** What main's last answer says, in words, for the person it was about. */
function describeRefusal(answer: Exclude<PinCheckAnswer, { ok: true }>, name: string): string | null {
  if (answer.reason === 'unknown-staff') return i18n.t('signIn.pinForm.noPinYet', { name });
  // A lockout speaks for itself below.
  if (answer.lockedUntil !== undefined) return null;
  return answer.reason === 'wrong-pin' ? i18n.t('signIn.pinForm.wrongPin') : null;
}

/** "A PIN has 4 digits", "A PIN has 4 to 6 digits": the chain's length, in the counter's language. */
const pinLengthText = ({ min, max }: PinLength): string =>
  min === max
    ? i18n.t('signIn.pinForm.pinDigits', { min })
    : i18n.t('signIn.pinForm.pinDigitsRange', { min, max });

export function StaffPinForm(props: StaffPinFormProps) {
  const { staff, onSuccess } = props;
  const { api } = useTerminal();
  const t = useCounterText();
  const length = useProgram()?.staff.pinLength ?? PIN_LENGTH_LIMITS;
  const [personId, setPersonId] = useState(props.initialId ?? (staff.length === 1 ? staff[0]!.id : ''));
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Whether the error is "Wrong PIN" (the tries left show under it), known without comparing words.
  const [wrongPin, setWrongPin] = useState(false);
  const [checking, setChecking] = useState(false);
  const [triesLeft, setTriesLeft] = useState<number | null>(null);
  /** Lockouts main told us of, by person: epoch ms when each ends. */
  const [lockedUntil, setLockedUntil] = useState<Record<string, number>>({});
  // A new key per attempt re-mounts the alert, so a second "Wrong PIN" is announced again.
  const [attempt, setAttempt] = useState(0);
  const now = useNow(500);
  const lockedMs = Math.max(0, (lockedUntil[personId] ?? 0) - now);
  const locked = lockedMs > 0;

  // The staff list arrives after the first render (the replica is read asynchronously).
  useEffect(() => {
    if (personId === '' && staff.length === 1) setPersonId(staff[0]!.id);
  }, [staff, personId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (checking || locked) return;
    const person = staff.find((s) => s.id === personId);
    setWrongPin(false);
    if (!person) {
      setError(
        t(props.purpose === 'manager' ? 'signIn.pinForm.chooseManager' : 'signIn.pinForm.chooseCashier'),
      );
      return;
    }
    if (pin.length < length.min || pin.length > length.max) {
      setError(pin.length === 0 ? t('signIn.pinForm.enterPin') : pinLengthText(length));
      return;
    }
    setChecking(true);
    setError(null);
    let answer: PinCheckAnswer;
    try {
      answer = await api.checkPin({
        staffId: person.id,
        pin,
        purpose: props.purpose,
      });
    } catch {
      setChecking(false);
      setError(t('signIn.pinForm.checkFailed'));
      return;
    }
    setChecking(false);
    setPin('');
    setAttempt((n) => n + 1);
    if (answer.ok) {
      onSuccess(answer.staff);
      return;
    }
    if (answer.lockedUntil !== undefined) {
      const until = Date.parse(answer.lockedUntil);
      setLockedUntil((locks) => ({ ...locks, [person.id]: until }));
    }
    setTriesLeft(
      answer.reason === 'wrong-pin' && answer.lockedUntil === undefined ? (answer.triesLeft ?? null) : null,
    );
    setWrongPin(answer.reason === 'wrong-pin' && answer.lockedUntil === undefined);
    setError(describeRefusal(answer, person.name));
  };

  return (
    <form className="pin-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="pin-form-fields">
        <Field label={props.personLabel}>
          {(control) => (
            <select
              {...control}
              value={personId}
              onChange={(e) => {
                setPersonId(e.target.value);
                setError(null);
                setTriesLeft(null);
              }}
            >
              {staff.length !== 1 ? <option value="">{t('signIn.pinForm.choose')}</option> : null}
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={props.pinLabel}>
          {(control) => (
            <input
              {...control}
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={length.max}
              autoFocus={props.autoFocus}
              value={pin}
              disabled={locked}
              onChange={(e) => {
                setPin(e.target.value.replace(/\D/g, '').slice(0, length.max));
                setError(null);
              }}
            />
          )}
        </Field>
        {error && !locked ? <ErrorMessage key={attempt}>{error}</ErrorMessage> : null}
        {error && wrongPin && triesLeft !== null && !locked ? (
          <p className="hint">{t('signIn.pinForm.triesLeft', { count: triesLeft })}</p>
        ) : null}
        {locked ? (
          <ErrorMessage>
            {t('signIn.pinForm.lockedOut', { countdown: formatCountdown(lockedMs) })}
          </ErrorMessage>
        ) : null}
        {checking ? <p className="hint">{t('signIn.pinForm.checking')}</p> : null}
        <div className="actions">
          <ActionButton type="submit" variant="primary" disabled={locked || checking}>
            {props.submitLabel}
          </ActionButton>
          {props.extra}
        </div>
      </div>
      <PinPad value={pin} onChange={setPin} maxLength={length.max} disabled={locked || checking} />
    </form>
  );
}
