// The rewards catalog at a glance on the member view: those the member can take now stand out, so the
// cashier can suggest one. Offline, a reward above the offline allowance says it needs a manager (or is
// out of reach until HQ is back), so nobody promises what the till will refuse.
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program, Reward } from '../../src-shared/program/schema.js';
import { pointsText } from '../hooks/format.js';

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
  | { kind: 'tier-only' };

/**
 * What the counter can say about a reward now. `offlineAllowance` is null online; offline, cost above it
 * needs a manager up to the program's override cap, and is refused beyond.
 */
export function rewardState(
  reward: Reward,
  member: Pick<Member, 'tier'>,
  points: number,
  offlineAllowance: number | null,
  overrideCap: number,
): RewardState {
  if (reward.cost > points) return { kind: 'short', missing: reward.cost - points };
  if (!affordable(reward, member, points)) return { kind: 'tier-only' };
  if (offlineAllowance === null || reward.cost <= offlineAllowance) return { kind: 'available' };
  return reward.cost - offlineAllowance <= overrideCap
    ? { kind: 'needs-manager' }
    : { kind: 'offline-limit' };
}

export function rewardStateText(state: RewardState): string {
  switch (state.kind) {
    case 'available':
      return 'Affordable';
    case 'needs-manager':
      return 'Affordable: offline, a manager must approve';
    case 'offline-limit':
      return 'Over the offline limit: wait for HQ';
    case 'short':
      return `${pointsText(state.missing)} more needed`;
    case 'tier-only':
      return 'Not for this tier';
  }
}

export function RewardsOverview(props: {
  program: Program;
  member: Member;
  points: number;
  offlineAllowance: number | null;
}) {
  const rewards = props.program.rewards.filter((r) => r.active);
  if (rewards.length === 0) return null;
  return (
    <section className="rewards-overview" aria-label="Rewards">
      <h2 className="section-title">Rewards</h2>
      <ul>
        {rewards.map((r) => {
          const state = rewardState(
            r,
            props.member,
            props.points,
            props.offlineAllowance,
            props.program.offline.managerOverrideCap,
          );
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
              <span className="reward-line-state">{rewardStateText(state)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
