// The rewards catalog at a glance on the member view: those the member can take now stand out, so the
// cashier can suggest one. Offline, a reward above the offline allowance says it needs a manager (or is
// out of reach until HQ is back: the period's limit is allowance + one override cap), so nobody promises
// what the till will refuse.
import type { OfflineBound } from '../../src-shared/engine/offline-bound.js';
import { tierLabel } from '../../src-shared/engine/tiers.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program, Reward } from '../../src-shared/program/schema.js';
import { formatPoints, pointsText } from '../hooks/format.js';
import { i18n, useCounterText } from '../i18n/index.js';

/** Whether the member has the points for the reward and may take it (active, tier). */
export function affordable(reward: Reward, member: Pick<Member, 'tier'>, points: number): boolean {
  if (!reward.active || reward.cost > points) return false;
  return !reward.tiers || (member.tier !== null && reward.tiers.includes(member.tier));
}

export type RewardState =
  | { kind: 'available' }
  | { kind: 'needs-manager' }
  | { kind: 'offline-limit' }
  | { kind: 'short'; missing: number }
  | { kind: 'tier-only'; tiers: readonly string[] };

/**
 * What the counter can say about a reward now. `offlineAllowance` (what is left without a manager) is null
 * online; offline, cost above it needs a manager up to `overrideLeft` more, and is refused beyond.
 */
export function rewardState(
  reward: Reward,
  member: Pick<Member, 'tier'>,
  points: number,
  offlineAllowance: number | null,
  overrideLeft: number,
): RewardState {
  // The tier first: a member who cannot take the reward at any balance is told so, not how far off it is.
  if (reward.tiers && !(member.tier !== null && reward.tiers.includes(member.tier)))
    return { kind: 'tier-only', tiers: reward.tiers };
  if (reward.cost > points) return { kind: 'short', missing: reward.cost - points };
  if (offlineAllowance === null || reward.cost <= offlineAllowance) return { kind: 'available' };
  return reward.cost - offlineAllowance <= overrideLeft
    ? { kind: 'needs-manager' }
    : { kind: 'offline-limit' };
}

/** A reward's state against the offline bound (null online): the override left is what the period has left. */
export function rewardStateOffline(
  reward: Reward,
  member: Pick<Member, 'tier'>,
  points: number,
  bound: OfflineBound | null,
): RewardState {
  return bound
    ? rewardState(reward, member, points, bound.allowanceLeft, bound.left - bound.allowanceLeft)
    : rewardState(reward, member, points, null, 0);
}

/**
 * "Offline: 650 of 1,500 points left for this member": the running total against the period's limit;
 * with the store's bound (issue 16) and redemptions at other tills, " (300 points used at other tills)".
 */
export function offlineLeftText(bound: OfflineBound & { peers?: number }): string {
  const left = i18n.t('redeem.offlineLeft', {
    left: formatPoints(bound.left),
    limit: pointsText(bound.limit),
  });
  const peers = bound.peers ?? 0;
  return peers > 0 ? left + i18n.t('redeem.usedAtOtherTills', { points: pointsText(peers) }) : left;
}

/** The counter's words for a state; `tierLabel` names a tier id ("gold" → "Gold"). */
export function rewardStateText(state: RewardState, tierLabel: (id: string) => string = (id) => id): string {
  switch (state.kind) {
    case 'available':
    case 'needs-manager':
    case 'offline-limit':
      return i18n.t(`redeem.states.${state.kind}`);
    case 'short':
      return i18n.t('redeem.states.short', { points: pointsText(state.missing) });
    case 'tier-only':
      // The tiers' labels are the program's own (from HQ).
      return i18n.t('redeem.states.tier-only', {
        tiers: state.tiers.map(tierLabel).join(i18n.t('redeem.tiersOr')),
      });
  }
}

export function RewardsOverview(props: {
  program: Program;
  member: Member;
  points: number;
  /** Null online. */
  offline: OfflineBound | null;
}) {
  const t = useCounterText();
  const rewards = props.program.rewards.filter((r) => r.active);
  if (rewards.length === 0) return null;
  return (
    <section className="rewards-overview" aria-label={t('redeem.rewards')}>
      <h2 className="section-title">{t('redeem.rewards')}</h2>
      {/* The list scrolls on its own (10 rewards at 1024×768): focusable, so the keyboard scrolls it too. */}
      <ul tabIndex={0} aria-label={t('redeem.rewardsList')}>
        {rewards.map((r) => {
          const state = rewardStateOffline(r, props.member, props.points, props.offline);
          const cls =
            state.kind === 'available'
              ? 'reward-line reward-affordable'
              : state.kind === 'needs-manager'
                ? 'reward-line reward-manager'
                : 'reward-line';
          return (
            <li key={r.id} className={cls}>
              <span className="reward-line-label">{r.label}</span>
              <span className="reward-line-cost">{pointsText(r.cost)}</span>
              <span className="reward-line-state">
                {rewardStateText(state, (id) => tierLabel(props.program, id))}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
