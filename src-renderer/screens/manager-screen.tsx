// The manager's screen, opened with a manager's PIN: the sync queue and what HQ refused, the devices, the
// day close, and for the member shown, points adjustments and voids (both recorded with the manager's id).
import { Trans } from 'react-i18next';
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
import type { ShownMember } from '../services/index.js';
import { useCounterText } from '../i18n/index.js';

export function ManagerScreen(props: { memberId: string | null; manager: SignedIn }) {
  const { go } = useCounter();
  const t = useCounterText();
  // Scans are ignored here: the manager screen is not for serving (the first one is told so).
  useIgnoredScans(t('manager.scansIgnored'));
  const leave = () => go(props.memberId ? { name: 'member', memberId: props.memberId } : { name: 'idle' });
  return (
    <ScreenLayout
      name="manager"
      header={
        <>
          <h1>{t('manager.title')}</h1>
          <p className="lead">{t('manager.approvedBy', { name: props.manager.name })}</p>
        </>
      }
      actions={
        <ActionButton hotkey="Escape" onClick={leave}>
          {t('manager.leave')}
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
            <h2 id="member-actions-title">{t('manager.noMemberTitle')}</h2>
            <p className="hint">{t('manager.noMemberHint')}</p>
          </section>
        )}
      </div>
    </ScreenLayout>
  );
}

function MemberPanels(props: { memberId: string; manager: SignedIn }) {
  const { shown, set } = useMember(props.memberId);
  const t = useCounterText();
  if (!shown) return <p className="hint">{t('manager.loadingMember')}</p>;
  return (
    <>
      <MemberNote shown={shown} />
      <AdjustPanel member={shown} manager={props.manager} onDone={set} />
      <VoidPanel member={shown} manager={props.manager} onDone={set} />
      <ReturnPanel member={shown} manager={props.manager} onDone={set} />
    </>
  );
}

/** Whose panels these are: the member's name (bold) and balance. */
export function MemberNote(props: { shown: ShownMember }) {
  const { member, balance } = props.shown;
  return (
    <div className="panel-note">
      {/* The name is the <name/> component's own child: never parsed as markup, whatever it holds. */}
      <Trans
        i18nKey="manager.forMember"
        values={{ points: pointsText(balance.total) }}
        components={{ name: <strong>{member.displayName}</strong> }}
      />
    </div>
  );
}
