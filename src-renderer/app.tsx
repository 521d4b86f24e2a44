// The cashier UI's root: open the terminal (once), then enrollment and first replication if needed, then
// sign-in and the counter screens, with the status bar always on top.
import './styles.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ManagerApprovalDialog } from './components/manager-approval-dialog.js';
import { ToastView } from './components/messages.js';
import { useCustomerViewPublisher } from './customer/publish.js';
import { StatusBar } from './components/status-bar.js';
import type { Terminal } from './startup/index.js';
import { readRoute, sessionMemory, writeRoute } from './hooks/counter-memory.js';
import { CounterProvider, type Counter, type Route } from './hooks/use-counter.js';
import { useIdleTimeouts, useStoreSettings } from './hooks/use-idle-timeouts.js';
import { LeaveGuardProvider } from './hooks/use-leave-guard.js';
import { ScanProvider } from './hooks/use-scans.js';
import { SessionProvider, useSession } from './hooks/use-session.js';
import { useSlipFollowsRoute } from './hooks/use-slip.js';
import { ToastProvider, useShownToast, useToast } from './hooks/use-transient-notice.js';
import { bootTerminal, TerminalProvider } from './hooks/use-terminal.js';
import { NoHostScreen, OpeningScreen, ReadyGate, StartupErrorScreen } from './screens/boot-screen.js';
import { EnrollScreen } from './screens/enroll-screen.js';
import { IdleScreen } from './screens/idle-screen.js';
import { ManagerScreen } from './screens/manager-screen.js';
import { MemberScreen } from './screens/member-screen.js';
import { PlansActionsScreen } from './screens/plans-actions-screen.js';
import { RedeemScreen } from './screens/redeem-screen.js';
import { SaleScreen } from './screens/sale-screen.js';
import { SignInScreen } from './screens/sign-in-screen.js';
import { terminalApi } from './terminal.js';
import { useCounterText } from './i18n/index.js';

export function App() {
  const api = terminalApi();
  const [terminal, setTerminal] = useState<Terminal | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!api) return;
    let live = true;
    bootTerminal(api).then(
      (t) => {
        if (live) setTerminal(t);
      },
      (error: unknown) => {
        if (live) setFailure(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      live = false;
    };
  }, [api, attempt]);

  if (!api) return <NoHostScreen />;
  if (failure)
    return (
      <StartupErrorScreen
        message={failure}
        onRetry={() => {
          setFailure(null);
          setAttempt((n) => n + 1);
        }}
      />
    );
  if (!terminal) return <OpeningScreen />;
  return (
    <TerminalProvider api={api} terminal={terminal}>
      <SessionProvider>
        <ToastProvider>
          <ScanProvider>
            <LeaveGuardProvider>
              <div className="app">
                <StatusBar />
                <CounterToast />
                <ReadyGate>
                  <Counter />
                </ReadyGate>
              </div>
            </LeaveGuardProvider>
          </ScanProvider>
        </ToastProvider>
      </SessionProvider>
    </TerminalProvider>
  );
}

/** The signed-in counter: one screen at a time, and the manager approval over it when asked for. */
function Counter() {
  const { cashier, signOut } = useSession();
  // A reload comes back to the screen it left (counter-memory.ts); a sign-in starts at the idle screen.
  const [route, setRoute] = useState<Route>(() =>
    cashier ? readRoute(sessionMemory(), cashier.id) : { name: 'idle' },
  );
  const [managerFor, setManagerFor] = useState<{ memberId: string | null } | null>(null);
  const toast = useToast();
  const t = useCounterText();

  // A move's message ("Sale recorded: 12 points") goes to the counter's one message slot. A move without
  // one takes a standing error away (it was about the screen left) and lets a confirmation run out.
  const go = useCallback<Counter['go']>(
    (next, message) => {
      setRoute(next);
      if (message) toast[message.kind](message.text);
      else toast.dismissError();
    },
    [toast],
  );
  const askManager = useCallback((memberId: string | null) => setManagerFor({ memberId }), []);
  const counter = useMemo<Counter>(() => ({ route, go, askManager }), [route, go, askManager]);

  // Signing out (or in as someone else) leaves nothing of the last customer on screen; a reload, which
  // mounts with the same cashier, keeps the screen it restored.
  const signedInAs = cashier?.id ?? null;
  const lastSignedIn = useRef(signedInAs);
  useEffect(() => {
    if (lastSignedIn.current === signedInAs) return;
    lastSignedIn.current = signedInAs;
    setRoute({ name: 'idle' });
    toast.dismiss();
    setManagerFor(null);
  }, [signedInAs, toast]);
  useEffect(() => {
    if (signedInAs) writeRoute(sessionMemory(), signedInAs, route);
  }, [signedInAs, route]);
  // The last slip shows on its member's screen only: leaving it puts the slip away.
  useSlipFollowsRoute(route, signedInAs);
  // The customer-facing display follows the counter: the member's own screens only, never the cashier's.
  useCustomerViewPublisher(route, signedInAs);

  // Nobody at the counter: back to the idle screen (the sale cancelled), later signed out.
  const settings = useStoreSettings();
  useIdleTimeouts({
    active: cashier !== null,
    screenInUse: route.name !== 'idle' || managerFor !== null,
    settings,
    onClearMember: () => {
      setManagerFor(null);
      go({ name: 'idle' });
    },
    onSignOut: signOut,
  });

  if (!cashier) return <SignInScreen />;
  return (
    <CounterProvider value={counter}>
      <div className="counter" inert={managerFor !== null}>
        <CounterScreen route={route} />
      </div>
      {managerFor ? (
        <ManagerApprovalDialog
          purpose={t('idle.managerPurpose')}
          onCancel={() => setManagerFor(null)}
          onApproved={(manager) => {
            setManagerFor(null);
            go({ name: 'manager', memberId: managerFor.memberId, manager });
          }}
        />
      ) : null}
    </CounterProvider>
  );
}

/** The counter's one message slot, under the status bar (hooks/use-transient-notice.ts). */
function CounterToast() {
  const { toast, dismiss } = useShownToast();
  return <ToastView toast={toast} onDismiss={dismiss} />;
}

function CounterScreen({ route }: { route: Route }) {
  switch (route.name) {
    case 'idle':
      return (
        <IdleScreen
          {...(route.enrollCard ? { enrollCard: route.enrollCard } : {})}
          {...(route.earnOnCard ? { earnOnCard: true } : {})}
        />
      );
    case 'member':
      return <MemberScreen key={route.memberId} memberId={route.memberId} initial={route.shown ?? null} />;
    case 'sale':
      return (
        <SaleScreen key={route.memberId} memberId={route.memberId} firstLine={route.firstLine ?? null} />
      );
    case 'redeem':
      return <RedeemScreen key={route.memberId} memberId={route.memberId} />;
    case 'plans':
      return <PlansActionsScreen key={route.memberId} memberId={route.memberId} />;
    case 'enroll':
      return <EnrollScreen card={route.card ?? ''} />;
    case 'manager':
      return <ManagerScreen memberId={route.memberId} manager={route.manager} />;
  }
}
