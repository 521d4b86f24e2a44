// The console shell: restores the session on load (`GET session`: the user and the CSRF token for
// writes), shows the sign-in page without one, and the layout with one. When any call answers 401 (the
// session ended: idle, signed out elsewhere, user disabled) the sign-in page comes back, saying why; the
// page state of the old session is dropped with the layout.
import { useCallback, useEffect, useState } from 'react';
import { authEndpoints, type ConsoleSession, type ConsoleUser } from '../src-shared/console/auth.js';
import { callConsole, ConsoleApiError, setCsrfToken, whenSignedOut } from './api/client.js';
import { ErrorMessage, Loading } from './components/states.js';
import { AREA_PAGES } from './pages.js';
import { Layout } from './shell/layout.js';
import { navigate } from './shell/router.js';
import { SignIn } from './shell/sign-in.js';

type State =
  | { kind: 'checking' }
  | { kind: 'unreachable'; error: ConsoleApiError }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'signed-in'; user: ConsoleUser };

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });

  const signedIn = useCallback((session: ConsoleSession) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', user: session.user });
  }, []);

  const restore = useCallback(() => {
    setState({ kind: 'checking' });
    callConsole(authEndpoints.session).then(signedIn, (failure: unknown) => {
      if (failure instanceof ConsoleApiError && failure.status !== 401 && failure.status !== 403)
        setState({ kind: 'unreachable', error: failure });
      else setState({ kind: 'signed-out', notice: null });
    });
  }, [signedIn]);

  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(null);
      setState({ kind: 'signed-out', notice: 'Your session has ended. Sign in again.' });
    });
    restore();
    return () => whenSignedOut(null);
  }, [restore]);

  const signOut = useCallback(() => {
    const done = (): void => {
      setCsrfToken(null);
      setState({ kind: 'signed-out', notice: 'You are signed out.' });
      navigate('', { replace: true });
    };
    callConsole(authEndpoints.signOut).then(done, done);
  }, []);

  switch (state.kind) {
    case 'checking':
      return (
        <main className="sign-in" id="content">
          <Loading label="Opening the console…" />
        </main>
      );
    case 'unreachable':
      return (
        <main className="sign-in" id="content">
          <h1>Loyalty HQ</h1>
          <ErrorMessage error={state.error} onRetry={restore} />
        </main>
      );
    case 'signed-out':
      return <SignIn onSignedIn={signedIn} notice={state.notice} />;
    case 'signed-in':
      return <Layout user={state.user} pages={AREA_PAGES} onSignOut={signOut} />;
  }
}
