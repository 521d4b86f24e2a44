// The offline allowance HQ computes for each member and ships in the replica (docs/architecture.md section 5): what
// a terminal that cannot reach HQ may let the member redeem, bounding the risk of double spending.
import { netPoints, type Member } from '../ledger/member.js';
import type { Program } from '../program/schema.js';

/** min(floor(net points × percent / 100), cap), never negative; 0 unless the member is active. */
export function offlineAllowance(
  member: Pick<Member, 'status' | 'balance' | 'debt'>,
  program: Program,
): number {
  if (member.status !== 'active') return 0;
  const { allowanceCap, allowancePercentOfBalance } = program.offline;
  const share = Math.floor((netPoints(member) * allowancePercentOfBalance) / 100);
  return Math.max(0, Math.min(share, allowanceCap));
}
