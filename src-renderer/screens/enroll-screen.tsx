// A new member at the counter: name, phone (kept as a hash and its last four digits only), birth month
// for the birthday bonus, and a card (scanning one fills it in). The full name goes to HQ in the event;
// the terminal keeps "First L." only. The phone has an on-screen keypad for touch tills.
import { useId, useRef, useState, type FormEvent } from 'react';
import { normalisePhone } from '../../src-shared/ledger/phone.js';
import { ActionButton } from '../components/action-button.js';
import { Field, type FieldProps } from '../components/field.js';
import { Keypad, KeypadToggle, useKeypadShown } from '../components/keypad.js';
import { ErrorMessage } from '../components/messages.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { displayNameOf, MONTHS } from '../hooks/format.js';
import { enrollScanAnswer } from '../hooks/scan-outcome.js';
import { useCounter } from '../hooks/use-counter.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useSlip } from '../hooks/use-slip.js';
import { useTerminal } from '../hooks/use-terminal.js';

type FieldName = 'firstName' | 'lastName' | 'phone' | 'birthMonth' | 'card' | 'referredBy';
type Errors = Partial<Record<FieldName, string>>;

const LABELS: Record<FieldName, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  birthMonth: 'Birth month',
  card: 'Card number',
  referredBy: 'Referred by (card)',
};

export function EnrollScreen(props: { card: string }) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const { go } = useCounter();
  const services = terminal.services;
  const [values, setValues] = useState<Record<FieldName, string>>({
    firstName: '',
    lastName: '',
    phone: '',
    birthMonth: '',
    card: props.card,
    referredBy: '',
  });
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const [phonePad, togglePhonePad] = useKeypadShown();
  const phonePadId = useId();
  const issueSlip = useSlip();
  const referredRef = useRef<HTMLInputElement>(null);
  const formId = useId();

  const set = (name: FieldName, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  };

  useScanHandler((result) => {
    const answer = enrollScanAnswer(result);
    if (answer.kind !== 'card') {
      toast[answer.kind](answer.text);
      return;
    }
    // A card scanned while the referral field has focus is the referrer's card.
    set(document.activeElement === referredRef.current ? 'referredBy' : 'card', answer.number);
  });

  const validate = async (): Promise<{ errors: Errors; referrerId: string | null }> => {
    const e: Errors = {};
    const first = values.firstName.trim();
    const last = values.lastName.trim();
    if (!first) e.firstName = 'Enter the first name';
    else if (first.length > 80) e.firstName = 'At most 80 characters';
    if (!last) e.lastName = 'Enter the last name';
    else if (last.length > 80) e.lastName = 'At most 80 characters';
    const phone = values.phone.trim();
    if (phone && !normalisePhone(phone, services.phoneCountry))
      e.phone = 'Not a phone number: type it with its area code, e.g. 087 123 4567';
    const card = values.card.trim();
    if (card) {
      if (card.length > 64) e.card = 'A card number has at most 64 characters';
      else {
        const holder = await services.lookupByCard(card);
        if (holder) e.card = `This card already belongs to ${holder.member.displayName || 'another member'}`;
      }
    }
    let referrerId: string | null = null;
    const referral = values.referredBy.trim();
    if (referral) {
      const referrer = await services.lookupByCard(referral);
      if (!referrer) e.referredBy = 'No member has this card';
      else if (card && referral === card) e.referredBy = "The new member's own card cannot refer them";
      else referrerId = referrer.member.id;
    }
    return { errors: e, referrerId };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!cashier || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const { errors: found, referrerId } = await validate();
      setErrors(found);
      const wrong = (Object.keys(found) as FieldName[]).filter((k) => found[k]);
      if (wrong.length > 0) {
        setFailure(`Check ${wrong.map((k) => LABELS[k]).join(', ')}.`);
        return;
      }
      const first = values.firstName.trim();
      const last = values.lastName.trim();
      const phone = values.phone.trim();
      const card = values.card.trim();
      const result = await services.recordEnroll({
        cashierId: cashier.id,
        displayName: displayNameOf(first, last),
        phone: phone || null,
        birthMonth: values.birthMonth ? Number(values.birthMonth) : null,
        cards: card ? [card] : [],
        referredBy: referrerId,
        profile: { firstName: first, lastName: last, email: null, phone: phone || null },
      });
      if (!result.ok) {
        const problems = result.error.problems ?? [];
        const byField: Errors = {};
        for (const p of problems) {
          if (p.path.includes('phone')) byField.phone = p.message;
          if (p.path.includes('displayName')) byField.firstName = p.message;
          if (p.path.includes('cards')) byField.card = p.message;
        }
        if (result.error.reason === 'card-in-use') byField.card = result.error.message;
        setErrors(byField);
        setFailure(`The member was not enrolled: ${result.error.message}`);
        return;
      }
      const name = result.value.event.payload.displayName;
      issueSlip(result.value);
      go(
        {
          name: 'member',
          memberId: result.value.event.memberId,
          ...(result.value.member ? { shown: result.value.member } : {}),
        },
        { kind: 'success', text: `Member enrolled: ${name}` },
      );
    } finally {
      setBusy(false);
    }
  };

  const text = (
    name: FieldName,
    options: { inputMode?: 'tel' | 'numeric'; autoComplete?: string; hint?: string } = {},
  ) => {
    const input = (control: Parameters<FieldProps['children']>[0]) => (
      <input
        {...control}
        ref={name === 'referredBy' ? referredRef : undefined}
        type={options.inputMode === 'tel' ? 'tel' : 'text'}
        inputMode={options.inputMode}
        autoComplete="off"
        spellCheck={false}
        value={values[name]}
        onChange={(e) => set(name, e.target.value)}
      />
    );
    return (
      <Field label={LABELS[name]} error={errors[name]} hint={options.hint}>
        {(control) =>
          name === 'phone' ? (
            <>
              <div className="with-keypad">
                {input(control)}
                <KeypadToggle shown={phonePad} onToggle={togglePhonePad} controls={phonePadId} />
              </div>
              {phonePad ? (
                <Keypad
                  id={phonePadId}
                  label="Phone keypad"
                  extraKey="+"
                  value={values.phone}
                  onChange={(value) => set('phone', value)}
                />
              ) : null}
            </>
          ) : (
            input(control)
          )
        }
      </Field>
    );
  };

  return (
    <ScreenLayout
      name="enroll"
      header={<h1>Enroll new member</h1>}
      actions={
        <>
          {/* In the action bar, outside the form: `form` ties it to the form (Enter in a field submits too). */}
          <ActionButton type="submit" form={formId} hotkey="F8" variant="primary" disabled={busy || !cashier}>
            Enroll member
          </ActionButton>
          <ActionButton hotkey="Escape" onClick={() => go({ name: 'idle' })}>
            Cancel
          </ActionButton>
        </>
      }
    >
      <form id={formId} className="form form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {text('firstName')}
        {text('lastName')}
        {text('phone', {
          inputMode: 'tel',
          hint: 'Used to find the member; the terminal keeps only its last 4 digits.',
        })}
        <Field label={LABELS.birthMonth} error={errors.birthMonth} hint="For the birthday bonus (optional).">
          {(control) => (
            <select
              {...control}
              value={values.birthMonth}
              onChange={(e) => set('birthMonth', e.target.value)}
            >
              <option value="">Not given</option>
              {MONTHS.map((m, i) => (
                <option key={m} value={String(i + 1)}>
                  {m}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('card', { hint: 'Scan the new card, or type its number.' })}
        {text('referredBy', { hint: 'Optional: the card of the member who referred them.' })}
        {failure ? <ErrorMessage>{failure}</ErrorMessage> : null}
      </form>
    </ScreenLayout>
  );
}
