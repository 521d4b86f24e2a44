// Spending points on a reward. Each reward is checked before it is recorded (balance, tier, and offline
// the bounded-risk policy); a refusal says why in words. A tap never redeems at once: a confirmation sheet
// says the reward, its cost and the balance after, and only its Redeem records. Offline above the allowance,
// a manager's PIN can then approve up to the program's cap once per offline period: the approval is
// recorded in the event, and the screen shows what is left of the period's limit for the member.
import { useState } from 'react';
import { tierLabel } from '../../src-shared/engine/tiers.js';
import type { Reward } from '../../src-shared/program/schema.js';
import { ActionButton } from '../components/action-button.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ManagerApprovalDialog } from '../components/manager-approval-dialog.js';
import { ErrorMessage } from '../components/messages.js';
import { offlineLeftText, rewardStateOffline, rewardStateText } from '../components/rewards-overview.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { pointsText } from '../hooks/format.js';
import { useCounter } from '../hooks/use-counter.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useMember } from '../hooks/use-member.js';
import { useOfflineAllowance } from '../hooks/use-offline-allowance.js';
import { useProgram } from '../hooks/use-program.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useSlip } from '../hooks/use-slip.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';
import { refusalText } from '../i18n/refusals.js';

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
  /** The reward tapped, waiting for the cashier's Redeem; `manager`: why a manager must approve next. */
  const [asking, setAsking] = useState<{ reward: Reward; cost: number; manager: string | null } | null>(null);
  const toast = useToast();
  const issueSlip = useSlip();
  const t = useCounterText();

  /** A tapped reward: checked (a refusal says why at once), then the confirmation sheet. */
  const ask = async (reward: Reward) => {
    if (!cashier || busy) return;
    setBusy(true);
    setError(null);
    try {
      const checked = await terminal.services.checkRedeem({ memberId: props.memberId, rewardId: reward.id });
      if (checked.ok) setAsking({ reward, cost: checked.value.cost, manager: null });
      else if (checked.error.reason === 'needs-manager-override')
        setAsking({ reward, cost: reward.cost, manager: refusalText(checked.error) });
      else setError(refusalText(checked.error));
    } finally {
      setBusy(false);
    }
  };

  useScanHandler(() => toast.info(t('redeem.finishFirst')));

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
          setApproval({ reward, message: refusalText(checked.error) });
        else setError(refusalText(checked.error));
        return;
      }
      const recorded = await terminal.services.recordRedeem({ ...input, cashierId: cashier.id });
      if (!recorded.ok) {
        setError(refusalText(recorded.error));
        return;
      }
      issueSlip(recorded.value);
      go(
        {
          name: 'member',
          memberId: props.memberId,
          ...(recorded.value.member ? { shown: recorded.value.member } : {}),
        },
        { kind: 'success', text: t('redeem.redeemed', { reward: reward.label }) },
      );
    } finally {
      setBusy(false);
    }
  };

  const rewards = program?.rewards.filter((r) => r.active) ?? [];
  const points = shown?.balance.total ?? 0;
  return (
    <>
      <ScreenLayout
        name="redeem"
        inert={approval !== null || asking !== null}
        header={
          <>
            <h1>{t('redeem.title')}</h1>
            <p className="lead">
              {shown ? `${shown.member.displayName} · ${pointsText(points)}` : ''}
              {bound ? t('redeem.offlineAllowance', { points: pointsText(bound.allowanceLeft) }) : ''}
            </p>
            {bound && bound.limit > 0 ? <p className="hint">{offlineLeftText(bound)}</p> : null}
          </>
        }
        actions={
          <ActionButton hotkey="Escape" onClick={() => go({ name: 'member', memberId: props.memberId })}>
            {t('redeem.back')}
          </ActionButton>
        }
      >
        {error ? <ErrorMessage>{error}</ErrorMessage> : null}
        {rewards.length === 0 ? <p className="hint">{t('redeem.noRewards')}</p> : null}
        <ul className="reward-grid" aria-label={t('redeem.catalog')}>
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
                  aria-label={t('redeem.rewardButton', {
                    reward: reward.label,
                    points: pointsText(reward.cost),
                  })}
                  onClick={() => void ask(reward)}
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
      </ScreenLayout>
      {asking ? (
        <ConfirmDialog
          title={t('redeem.askTitle')}
          confirmLabel={t('redeem.confirm')}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            const reward = asking.reward;
            setAsking(null);
            // Checked again as it is recorded; above the offline allowance, the manager's approval comes next.
            void redeem(reward);
          }}
        >
          <dl className="facts">
            <dt>{t('redeem.reward')}</dt>
            <dd>{asking.reward.label}</dd>
            <dt>{t('redeem.cost')}</dt>
            <dd>{pointsText(asking.cost)}</dd>
            <dt>{t('redeem.balanceNow')}</dt>
            <dd>{pointsText(points)}</dd>
            <dt>{t('redeem.balanceAfter')}</dt>
            <dd>{pointsText(points - asking.cost)}</dd>
          </dl>
          {asking.manager ? <p className="hint hint-warn">{t('redeem.managerNext')}</p> : null}
        </ConfirmDialog>
      ) : null}
      {approval ? (
        <ManagerApprovalDialog
          purpose={t('redeem.approvalPurpose', { reward: approval.reward.label, message: approval.message })}
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
