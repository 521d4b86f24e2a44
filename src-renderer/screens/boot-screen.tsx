// Before the counter can serve: the terminal opening, then enrolled with HQ, then the first replication
// of the catalog (members, products, program, staff: nobody can sign in before the staff list is here).
import { useState, type ReactNode } from 'react';
import { ActionButton } from '../components/action-button.js';
import { ErrorMessage } from '../components/messages.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { ReplicationProgress, catalogReady } from '../components/replication-progress.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { useCounterText } from '../i18n/index.js';
import { EnrollTerminalScreen } from './enroll-terminal-screen.js';

/** Shown while the databases open. */
export function OpeningScreen() {
  const t = useCounterText();
  return (
    <ScreenLayout centred header={<h1>{t('boot.product')}</h1>}>
      <p className="lead">{t('boot.opening')}</p>
    </ScreenLayout>
  );
}

/** The databases could not open: say so, and offer to try again. */
export function StartupErrorScreen(props: { message: string; onRetry: () => void }) {
  const t = useCounterText();
  return (
    <ScreenLayout centred header={<h1>{t('boot.failedTitle')}</h1>}>
      <ErrorMessage>{props.message}</ErrorMessage>
      <p>{t('boot.failedHint')}</p>
      <ActionButton variant="primary" onClick={props.onRetry}>
        {t('boot.tryAgain')}
      </ActionButton>
    </ScreenLayout>
  );
}

/** No host API at all: the page was opened outside the kiosk and the browser host. */
export function NoHostScreen() {
  const t = useCounterText();
  return (
    <ScreenLayout centred header={<h1>{t('boot.product')}</h1>}>
      <ErrorMessage>{t('boot.noHost')}</ErrorMessage>
    </ScreenLayout>
  );
}

/**
 * Renders its children once the terminal is enrolled and its catalog replicated. Replication finished
 * once stays finished: a later pull (or a restart offline, with the replica from before) never takes the
 * counter away.
 */
export function ReadyGate(props: { children: ReactNode }) {
  const status = useSyncStatus();
  const t = useCounterText();
  const [wasReady, setWasReady] = useState(false);
  const ready = wasReady || catalogReady(status);
  if (ready && !wasReady) setWasReady(true);

  if (!status.enrolled) return <EnrollTerminalScreen />;
  if (!ready)
    return (
      <ScreenLayout centred header={<h1>{t('boot.gettingData')}</h1>}>
        <p className="lead">{status.online ? t('boot.arriving') : t('boot.waitingForHq')}</p>
        <ReplicationProgress status={status} />
        {status.lastError && status.lastError.code !== 'offline' ? (
          <ErrorMessage>{status.lastError.message}</ErrorMessage>
        ) : null}
      </ScreenLayout>
    );
  return <>{props.children}</>;
}
