// The sign-in page: username and password, HQ's answer in words (a wrong username or password, too many
// attempts and how long to wait, HQ unreachable), and why the form is back when a session ended.
import { useState, type FormEvent } from 'react';
import { authEndpoints, type ConsoleSession } from '../../src-shared/console/auth.js';
import { callConsole, ConsoleApiError } from '../api/client.js';
import { TextField } from '../components/field.js';
import { FormFeedback } from '../components/states.js';

export function SignIn({
  onSignedIn,
  notice,
}: {
  onSignedIn: (session: ConsoleSession) => void;
  /** Why the form is shown (the session ended), or null. */
  notice: string | null;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const empty = {
      ...(username.trim() ? {} : { username: 'Enter your username.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    };
    setMissing(empty);
    if (Object.keys(empty).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await callConsole(authEndpoints.signIn, { body: { username: username.trim(), password } }));
    } catch (failure) {
      setPassword('');
      setError(signInError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="content">
      <form
        className="card sign-in-card"
        onSubmit={(event) => void submit(event)}
        noValidate
        aria-labelledby="sign-in-title"
      >
        <p className="brand">Loyalty HQ</p>
        <h1 id="sign-in-title">Sign in</h1>
        <FormFeedback error={error} success={notice} />
        <TextField
          label="Username"
          name="username"
          value={username}
          onChange={setUsername}
          autoComplete="username"
          error={missing.username}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          error={missing.password}
          required
        />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function signInError(failure: unknown): string {
  if (!(failure instanceof ConsoleApiError)) return 'Signing in failed. Try again.';
  if (failure.status === 401) return 'The username or password is not right.';
  // 429 (too many attempts: HQ says how long to wait), offline, 5xx: HQ's or the client's own words.
  return failure.message;
}
