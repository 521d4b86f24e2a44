// Pick a person, type their PIN, submit: the cashier sign-in and the manager approval share it. PINs are
// checked here against the hash HQ replicated with the staff list (src-shared/kernel/pin.ts), behind the
// terminal's wrong-PIN lockout.
import { useEffect, useState, type FormEvent } from 'react';
import { verifyPin } from '../../src-shared/kernel/pin.js';
import type { Staff } from '../hooks/use-cashiers.js';
import { formatCountdown } from '../hooks/format.js';
import { useNow } from '../hooks/use-now.js';
import { checkPin, pinGuard } from '../hooks/pin-guard.js';
import type { SignedIn } from '../hooks/use-session.js';
import { ActionButton } from './action-button.js';
import { Field } from './field.js';
import { ErrorMessage } from './messages.js';
import { PinPad } from './pin-pad.js';

export interface StaffPinFormProps {
  staff: Staff[];
  /** "Cashier" or "Manager": the select's label. */
  personLabel: string;
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

export function StaffPinForm(props: StaffPinFormProps) {
  const { staff, onSuccess } = props;
  const [personId, setPersonId] = useState(props.initialId ?? (staff.length === 1 ? staff[0]!.id : ''));
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [triesLeft, setTriesLeft] = useState<number | null>(null);
  // A new key per attempt re-mounts the alert, so a second "Wrong PIN" is announced again.
  const [attempt, setAttempt] = useState(0);
  const now = useNow(500);
  const lockedMs = pinGuard.lockedFor(now);

  // The staff list arrives after the first render (the replica is read asynchronously).
  useEffect(() => {
    if (personId === '' && staff.length === 1) setPersonId(staff[0]!.id);
  }, [staff, personId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (checking) return;
    const person = staff.find((s) => s.id === personId);
    if (!person) {
      setError(`Choose a ${props.personLabel.toLowerCase()} first`);
      return;
    }
    if (pin.length === 0) {
      setError('Enter the PIN');
      return;
    }
    setChecking(true);
    setError(null);
    const result = await checkPin(pinGuard, verifyPin, pin, person.pinHash);
    setChecking(false);
    setPin('');
    setAttempt((n) => n + 1);
    if (result.ok) {
      onSuccess({ id: person.id, name: person.name, role: person.role });
      return;
    }
    setTriesLeft(result.reason === 'wrong' && result.lockedMs === 0 ? result.remaining : null);
    // During a lockout the lock message says it all.
    setError(result.reason === 'wrong' && result.lockedMs === 0 ? 'Wrong PIN' : null);
  };

  const locked = lockedMs > 0;
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
              }}
            >
              {staff.length !== 1 ? <option value="">Choose…</option> : null}
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
              maxLength={8}
              autoFocus={props.autoFocus}
              value={pin}
              disabled={locked}
              onChange={(e) => {
                setPin(e.target.value.replace(/\D/g, '').slice(0, 8));
                setError(null);
              }}
            />
          )}
        </Field>
        {error && !locked ? <ErrorMessage key={attempt}>{error}</ErrorMessage> : null}
        {error === 'Wrong PIN' && triesLeft !== null && !locked ? (
          <p className="hint">
            {triesLeft} {triesLeft === 1 ? 'try' : 'tries'} left before the keypad locks for 30 seconds.
          </p>
        ) : null}
        {locked ? (
          <ErrorMessage>Too many wrong PINs: try again in {formatCountdown(lockedMs)}</ErrorMessage>
        ) : null}
        {checking ? <p className="hint">Checking the PIN…</p> : null}
        <div className="actions">
          <ActionButton type="submit" variant="primary" disabled={locked || checking}>
            {props.submitLabel}
          </ActionButton>
          {props.extra}
        </div>
      </div>
      <PinPad value={pin} onChange={setPin} disabled={locked || checking} />
    </form>
  );
}
