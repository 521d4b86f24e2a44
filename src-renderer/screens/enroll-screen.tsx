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
import { displayNameOf } from '../hooks/format.js';
import { enrollScanAnswer } from '../hooks/scan-outcome.js';
import { useCounter } from '../hooks/use-counter.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useSlip } from '../hooks/use-slip.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';
import { problemText, refusalText } from '../i18n/refusals.js';

type FieldName = 'firstName' | 'lastName' | 'phone' | 'birthMonth' | 'card' | 'referredBy';
type Errors = Partial<Record<FieldName, string>>;

/** The months of the birth month's options, by number (the words are the counter's, enroll.months). */
const MONTHS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

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
  const t = useCounterText();
  const label = (name: FieldName): string => t(`enroll.labels.${name}`);

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
    if (!first) e.firstName = t('enroll.errors.firstName');
    else if (first.length > 80) e.firstName = t('enroll.errors.tooLong');
    if (!last) e.lastName = t('enroll.errors.lastName');
    else if (last.length > 80) e.lastName = t('enroll.errors.tooLong');
    const phone = values.phone.trim();
    if (phone && !normalisePhone(phone, services.phoneCountry)) e.phone = t('enroll.errors.phone');
    const card = values.card.trim();
    if (card) {
      if (card.length > 64) e.card = t('enroll.errors.cardTooLong');
      else {
        const holder = await services.lookupByCard(card);
        if (holder)
          e.card = t('enroll.errors.cardTaken', {
            name: holder.member.displayName || t('enroll.errors.anotherMember'),
          });
      }
    }
    let referrerId: string | null = null;
    const referral = values.referredBy.trim();
    if (referral) {
      const referrer = await services.lookupByCard(referral);
      if (!referrer) e.referredBy = t('enroll.errors.noReferrer');
      else if (card && referral === card) e.referredBy = t('enroll.errors.ownCard');
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
        setFailure(t('enroll.check', { fields: wrong.map(label).join(', ') }));
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
          if (p.path.includes('phone')) byField.phone = problemText(p);
          if (p.path.includes('displayName')) byField.firstName = problemText(p);
          if (p.path.includes('cards')) byField.card = problemText(p);
        }
        if (result.error.reason === 'card-in-use') byField.card = refusalText(result.error);
        setErrors(byField);
        setFailure(t('enroll.notEnrolled', { message: refusalText(result.error) }));
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
        { kind: 'success', text: t('enroll.enrolled', { name }) },
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
      <Field label={label(name)} error={errors[name]} hint={options.hint}>
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
                  label={t('common.keypad.phone')}
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
      header={<h1>{t('enroll.title')}</h1>}
      actions={
        <>
          {/* In the action bar, outside the form: `form` ties it to the form (Enter in a field submits too). */}
          <ActionButton type="submit" form={formId} hotkey="F8" variant="primary" disabled={busy || !cashier}>
            {t('enroll.submit')}
          </ActionButton>
          <ActionButton hotkey="Escape" onClick={() => go({ name: 'idle' })}>
            {t('common.cancel')}
          </ActionButton>
        </>
      }
    >
      <form id={formId} className="form form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {text('firstName')}
        {text('lastName')}
        {text('phone', {
          inputMode: 'tel',
          hint: t('enroll.hints.phone'),
        })}
        <Field label={label('birthMonth')} error={errors.birthMonth} hint={t('enroll.hints.birthMonth')}>
          {(control) => (
            <select
              {...control}
              value={values.birthMonth}
              onChange={(e) => set('birthMonth', e.target.value)}
            >
              <option value="">{t('enroll.notGiven')}</option>
              {MONTHS.map((m) => (
                <option key={m} value={m}>
                  {t(`enroll.months.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('card', { hint: t('enroll.hints.card') })}
        {text('referredBy', { hint: t('enroll.hints.referredBy') })}
        {failure ? <ErrorMessage>{failure}</ErrorMessage> : null}
      </form>
    </ScreenLayout>
  );
}
