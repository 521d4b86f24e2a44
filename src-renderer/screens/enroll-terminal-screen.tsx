// A new terminal joins its store: a manager types the one-time enrollment code HQ gave them and a name for
// this till. The host exchanges the code for the terminal's credential (kept in the host, never here),
// then replication starts.
import { useState, type FormEvent } from 'react';
import { ActionButton } from '../components/action-button.js';
import { Field } from '../components/field.js';
import { ErrorMessage, SuccessMessage } from '../components/messages.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';

/** HQ's answers the screen explains in words (any other: HQ's own message). */
const ENROLL_ERRORS = ['offline', 'rejected', 'unauthorised', 'upgrade-required', 'server-error'] as const;
const explained = (code: string): code is (typeof ENROLL_ERRORS)[number] =>
  (ENROLL_ERRORS as readonly string[]).includes(code);

export function EnrollTerminalScreen() {
  const { api, terminal } = useTerminal();
  const t = useCounterText();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ code?: string; name?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [enrolled, setEnrolled] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: { code?: string; name?: string } = {};
    if (code.trim().length === 0) problems.code = t('enrollTerminal.codeMissing');
    else if (code.trim().length < 6) problems.code = t('enrollTerminal.codeShort');
    if (name.trim().length === 0) problems.name = t('enrollTerminal.nameMissing');
    setErrors(problems);
    setFailure(null);
    if (problems.code || problems.name) return;
    setBusy(true);
    try {
      const result = await api.enroll({ code: code.trim(), name: name.trim() });
      if (!result.ok) {
        const { code: why, message } = result.error;
        setFailure(explained(why) ? t(`enrollTerminal.errors.${why}`) : message);
        return;
      }
      setEnrolled(true);
      // The host holds the credential now: ask it who we are and start pulling.
      terminal.sync.syncNow();
    } catch (error) {
      setFailure(t('enrollTerminal.hostSilent', { message: (error as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ScreenLayout
      name="enroll-terminal screen-narrow"
      header={
        <>
          <h1>{t('enrollTerminal.title')}</h1>
          <p className="lead">{t('enrollTerminal.lead')}</p>
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <Field label={t('enrollTerminal.code')} error={errors.code}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('enrollTerminal.name')} error={errors.name}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              maxLength={80}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        {failure ? <ErrorMessage>{failure}</ErrorMessage> : null}
        {enrolled ? <SuccessMessage>{t('enrollTerminal.enrolled')}</SuccessMessage> : null}
        <div className="actions">
          <ActionButton type="submit" variant="primary" disabled={busy}>
            {t('enrollTerminal.submit')}
          </ActionButton>
          <ActionButton onClick={() => terminal.sync.syncNow()}>
            {t('enrollTerminal.checkAgain')}
          </ActionButton>
        </div>
      </form>
    </ScreenLayout>
  );
}
