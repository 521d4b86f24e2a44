// A store's counter settings (how long a member's screen stays up, how long a cashier stays signed in, the
// nightly close time, the counter's language). The store's tills take a change on their next stream
// (re)connection. Only what changed is sent, so the audit log says exactly what moved.
import { useState, type FormEvent } from 'react';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import { fleetEndpoints } from '../../../src-shared/console/fleet.js';
import type { StoreSettings, StoreSettingsChange } from '../../../src-shared/sync/wire.js';
import { SelectField, TextField } from '../../components/field.js';
import { useConsoleWrite } from '../../components/use-console-write.js';

const LOCALES = ['en-IE', 'en-GB', 'fr-FR', 'fr-BE'] as const;
const LOCALE_NAMES: Record<string, string> = {
  'en-IE': 'English (Ireland)',
  'en-GB': 'English (United Kingdom)',
  'fr-FR': 'French (France)',
  'fr-BE': 'French (Belgium)',
};

export function SettingsCard({
  storeId,
  settings,
  user,
  onSaved,
}: {
  storeId: string;
  settings: StoreSettings;
  user: ConsoleUser;
  onSaved: () => void;
}) {
  const [memberIdle, setMemberIdle] = useState(String(settings.memberIdleSeconds));
  const [signOutIdle, setSignOutIdle] = useState(String(settings.signOutIdleMinutes));
  const [closeAt, setCloseAt] = useState(settings.closeAt);
  const [locale, setLocale] = useState(settings.locale);
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const write = useConsoleWrite();
  const canWrite = roleMayCall(fleetEndpoints.changeStoreSettings, user.role);
  const locales = (LOCALES as readonly string[]).includes(settings.locale)
    ? LOCALES
    : [settings.locale, ...LOCALES];

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaved(false);
    const change: StoreSettingsChange = {};
    if (Number(memberIdle) !== settings.memberIdleSeconds) change.memberIdleSeconds = Number(memberIdle);
    if (Number(signOutIdle) !== settings.signOutIdleMinutes) change.signOutIdleMinutes = Number(signOutIdle);
    if (closeAt !== settings.closeAt) change.closeAt = closeAt;
    if (locale !== settings.locale) change.locale = locale;
    const done = await write.run(fleetEndpoints.changeStoreSettings, {
      params: { storeId },
      body: { ...change, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (done) {
      setSaved(true);
      onSaved();
    }
  };

  if (!canWrite)
    return (
      <section className="card" aria-labelledby="settings-title">
        <h2 id="settings-title">Counter settings</h2>
        <dl>
          <dt>Member screen clears after</dt>
          <dd>{settings.memberIdleSeconds} seconds without input</dd>
          <dt>Cashier signed out after</dt>
          <dd>{settings.signOutIdleMinutes} minutes without input</dd>
          <dt>Nightly close</dt>
          <dd>{settings.closeAt}</dd>
          <dt>Language</dt>
          <dd>{LOCALE_NAMES[settings.locale] ?? settings.locale}</dd>
        </dl>
      </section>
    );

  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Counter settings</h2>
      <p className="field-hint">The store’s tills take a change the next time they connect to HQ.</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {write.error && (
          <p className="form-error" role="alert">
            {write.error}
          </p>
        )}
        {saved && (
          <p className="notice" role="status">
            Saved.
          </p>
        )}
        <TextField
          label="Member screen clears after (seconds)"
          type="number"
          value={memberIdle}
          onChange={setMemberIdle}
          hint="15 to 3,600 seconds without input"
          error={write.problems.memberIdleSeconds}
        />
        <TextField
          label="Cashier signed out after (minutes)"
          type="number"
          value={signOutIdle}
          onChange={setSignOutIdle}
          hint="1 to 720 minutes without input"
          error={write.problems.signOutIdleMinutes}
        />
        <TextField
          label="Nightly close (HH:MM, store time)"
          value={closeAt}
          onChange={setCloseAt}
          error={write.problems.closeAt}
        />
        <SelectField
          label="Counter language"
          value={locale}
          onChange={setLocale}
          options={locales.map((l) => ({ value: l, label: LOCALE_NAMES[l] ?? l }))}
          error={write.problems.locale}
        />
        <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}
