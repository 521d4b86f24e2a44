// A new terminal joins its store: a manager types the one-time enrollment code HQ gave them and a name for
// this till. The host exchanges the code for the terminal's credential (kept in the host, never here),
// then replication starts.
import { useState, type FormEvent } from 'react';
import { ActionButton } from '../components/action-button.js';
import { Field } from '../components/field.js';
import { ErrorMessage, SuccessMessage } from '../components/messages.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { useTerminal } from '../hooks/use-terminal.js';

const ENROLL_ERRORS: Record<string, string> = {
  offline: 'HQ cannot be reached. Check the network and try again.',
  rejected: 'HQ did not accept this code. Check it, or ask HQ for a new one (codes work once and expire).',
  unauthorised: 'HQ did not accept this code. Ask HQ for a new one.',
  'upgrade-required': 'HQ needs a newer version of this terminal.',
  'server-error': 'HQ has a problem right now. Try again in a minute.',
};

export function EnrollTerminalScreen() {
  const { api, terminal } = useTerminal();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ code?: string; name?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [enrolled, setEnrolled] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: { code?: string; name?: string } = {};
    if (code.trim().length === 0) problems.code = 'Enter the enrollment code from HQ';
    else if (code.trim().length < 6) problems.code = 'An enrollment code has at least 6 characters';
    if (name.trim().length === 0) problems.name = 'Give this till a name, e.g. "Till 2"';
    setErrors(problems);
    setFailure(null);
    if (problems.code || problems.name) return;
    setBusy(true);
    try {
      const result = await api.enroll({ code: code.trim(), name: name.trim() });
      if (!result.ok) {
        setFailure(ENROLL_ERRORS[result.error.code] ?? result.error.message);
        return;
      }
      setEnrolled(true);
      // The host holds the credential now: ask it who we are and start pulling.
      terminal.sync.syncNow();
    } catch (error) {
      setFailure(`The terminal host did not answer: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ScreenLayout
      name="enroll-terminal screen-narrow"
      header={
        <>
          <h1>Enroll this terminal</h1>
          <p className="lead">
            This terminal is not linked to a store yet. Enter the one-time code from HQ's admin and a name for
            this till.
          </p>
        </>
      }
    >
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <Field label="Enrollment code" error={errors.code}>
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
        <Field label="Terminal name" error={errors.name}>
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
        {enrolled ? <SuccessMessage>Terminal enrolled. Getting the store's data…</SuccessMessage> : null}
        <div className="actions">
          <ActionButton type="submit" variant="primary" disabled={busy}>
            Enroll terminal
          </ActionButton>
          <ActionButton onClick={() => terminal.sync.syncNow()}>Check again</ActionButton>
        </div>
      </form>
    </ScreenLayout>
  );
}
