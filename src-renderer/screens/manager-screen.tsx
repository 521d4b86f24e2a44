// The manager's screen, opened with a manager's PIN: the sync queue and what HQ refused, the devices, the
// day close, and for the member shown, points adjustments and voids (both recorded with the manager's id).
import { ActionButton } from '../components/action-button.js';
import { AdjustPanel } from '../components/adjust-panel.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { DayClosePanel } from '../components/day-close-panel.js';
import { DevicesPanel } from '../components/devices-panel.js';
import { ShiftSummaryPanel } from '../components/shift-summary-panel.js';
import { SyncQueuePanel } from '../components/sync-queue-panel.js';
import { VoidPanel } from '../components/void-panel.js';
import { ReturnPanel } from '../components/return-panel.js';
import { pointsText } from '../hooks/format.js';
import { useCounter } from '../hooks/use-counter.js';
import { useMember } from '../hooks/use-member.js';
import { useIgnoredScans } from '../hooks/use-scans.js';
import type { SignedIn } from '../hooks/use-session.js';

export function ManagerScreen(props: { memberId: string | null; manager: SignedIn }) {
  const { go } = useCounter();
  // Scans are ignored here: the manager screen is not for serving (the first one is told so).
  useIgnoredScans('Scans are ignored on the manager screen: leave it to serve a customer.');
  const leave = () => go(props.memberId ? { name: 'member', memberId: props.memberId } : { name: 'idle' });
  return (
    <ScreenLayout
      name="manager"
      header={
        <>
          <h1>Manager</h1>
          <p className="lead">Approved by {props.manager.name}</p>
        </>
      }
      actions={
        <ActionButton hotkey="Escape" onClick={leave}>
          Leave manager
        </ActionButton>
      }
    >
      <div className="manager-grid">
        <SyncQueuePanel />
        <DevicesPanel />
        <DayClosePanel />
        <ShiftSummaryPanel />
        {props.memberId ? (
          <MemberPanels memberId={props.memberId} manager={props.manager} />
        ) : (
          <section className="panel" aria-labelledby="member-actions-title">
            <h2 id="member-actions-title">Adjust points</h2>
            <p className="hint">
              Open a member first (scan their card), then choose Manager to adjust or void.
            </p>
          </section>
        )}
      </div>
    </ScreenLayout>
  );
}

function MemberPanels(props: { memberId: string; manager: SignedIn }) {
  const { shown, set } = useMember(props.memberId);
  if (!shown) return <p className="hint">Loading the member…</p>;
  return (
    <>
      <div className="panel-note">
        For <strong>{shown.member.displayName}</strong>: {pointsText(shown.balance.total)}
      </div>
      <AdjustPanel member={shown} manager={props.manager} onDone={set} />
      <VoidPanel member={shown} manager={props.manager} onDone={set} />
      <ReturnPanel member={shown} manager={props.manager} onDone={set} />
    </>
  );
}
