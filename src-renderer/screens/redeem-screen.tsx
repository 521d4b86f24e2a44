// Spending points on a reward. Each reward is checked before it is recorded (balance, tier, and offline
// the bounded-risk policy); a refusal says why in words. Offline above the allowance, a manager's PIN can
// approve up to the program's cap once per offline period: the approval is recorded in the event, and the
// screen shows what is left of the period's limit for the member.
import { useState } from 'react';
import { tierLabel } from '../../src-shared/engine/tiers.js';
import type { Reward } from '../../src-shared/program/schema.js';
import { ActionButton } from '../components/action-button.js';
import { ManagerApprovalDialog } from '../components/manager-approval-dialog.js';
import { ErrorMessage, Notice } from '../components/messages.js';
import { offlineLeftText, rewardStateOffline, rewardStateText } from '../components/rewards-overview.js';
import { pointsText } from '../hooks/format.js';
import { useCounter } from '../hooks/use-counter.js';
import { useTransientNotice } from '../hooks/use-transient-notice.js';
import { useMember } from '../hooks/use-member.js';
import { useOfflineAllowance } from '../hooks/use-offline-allowance.js';
import { useProgram } from '../hooks/use-program.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useTerminal } from '../hooks/use-terminal.js';

export function RedeemScreen(props: { memberId: string }) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const { go } = useCounter();
  const program = useProgram();
  const { shown } = useMember(props.memberId);
  const bound = useOfflineAllowance(shown);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [approval, setApproval] = useState<{ reward: Reward; message: string } | null>(null);
  const [notice, showNotice] = useTransientNotice();

  useScanHandler(() => showNotice('Finish or leave the redemption before scanning.'));

  const redeem = async (reward: Reward, managerId?: string) => {
    if (!cashier || busy) return;
    setBusy(true);
    setError(null);
    try {
      const input = {
        memberId: props.memberId,
        rewardId: reward.id,
        ...(managerId ? { override: { managerId } } : {}),
      };
      // Check first: a refusal that a manager can lift opens the approval instead of failing.
      const checked = await terminal.services.checkRedeem(input);
      if (!checked.ok) {
        if (checked.error.reason === 'needs-manager-override' && !managerId)
          setApproval({ reward, message: checked.error.message });
        else setError(checked.error.message);
        return;
      }
      const recorded = await terminal.services.recordRedeem({ ...input, cashierId: cashier.id });
      if (!recorded.ok) {
        setError(recorded.error.message);
        return;
      }
      go(
        {
          name: 'member',
          memberId: props.memberId,
          ...(recorded.value.member ? { shown: recorded.value.member } : {}),
        },
        { kind: 'success', text: `Reward redeemed: ${reward.label}` },
      );
    } finally {
      setBusy(false);
    }
  };

  const rewards = program?.rewards.filter((r) => r.active) ?? [];
  const points = shown?.balance.total ?? 0;
  return (
    <>
      <main className="screen redeem" inert={approval !== null}>
        <div className="screen-head">
          <h1>Redeem points</h1>
          <p className="lead">
            {shown ? `${shown.member.displayName} · ${pointsText(points)}` : ''}
            {bound ? ` · Offline allowance: ${pointsText(bound.allowanceLeft)}` : ''}
          </p>
          {bound && bound.limit > 0 ? <p className="hint">{offlineLeftText(bound)}</p> : null}
        </div>
        {error ? <ErrorMessage>{error}</ErrorMessage> : null}
        {rewards.length === 0 ? <p className="hint">The program has no rewards.</p> : null}
        <ul className="reward-grid" aria-label="Rewards catalog">
          {rewards.map((reward) => {
            const state = shown ? rewardStateOffline(reward, shown.member, points, bound) : null;
            const cls =
              state?.kind === 'available'
                ? 'reward-button reward-affordable'
                : state?.kind === 'needs-manager'
                  ? 'reward-button reward-manager'
                  : 'reward-button';
            return (
              <li key={reward.id}>
                <button
                  type="button"
                  className={cls}
                  disabled={busy}
                  aria-label={`${reward.label}, ${pointsText(reward.cost)}`}
                  onClick={() => void redeem(reward)}
                >
                  <span className="reward-button-label">{reward.label}</span>
                  <span className="reward-button-cost">{pointsText(reward.cost)}</span>
                  {state ? (
                    <span className="reward-button-state">
                      {rewardStateText(state, (id) => (program ? tierLabel(program, id) : id))}
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
        <div className="actions actions-bottom">
          <ActionButton hotkey="Escape" onClick={() => go({ name: 'member', memberId: props.memberId })}>
            Back
          </ActionButton>
        </div>
        {notice ? <Notice>{notice}</Notice> : null}
      </main>
      {approval ? (
        <ManagerApprovalDialog
          purpose={`${approval.reward.label}: ${approval.message}.`}
          onCancel={() => setApproval(null)}
          onApproved={(manager) => {
            const reward = approval.reward;
            setApproval(null);
            void redeem(reward, manager.id);
          }}
        />
      ) : null}
    </>
  );
}
