// Moving a merged member's points to the survivor as a pair of HQ adjustments, so every balance stays the
// fold of its member's events and the liability does not move: the merged member's net points (balance −
// debt; at most one of the two is positive, src-shared/ledger/apply-event.ts) leave it and reach the
// survivor. Points: a debit of the merged member and a credit of the survivor; debt: a credit of the
// merged member (which repays its debt) and a debit of the survivor (which becomes its debt, or is taken
// from its balance).
export interface MergeTransfer {
  /** The adjustment on the merged member (its net points leave it). */
  merged: number;
  /** The adjustment on the survivor. */
  survivor: number;
}

/** The pair of adjustments that moves `merged`'s net points, or null when it has none. */
export function mergeTransfer(merged: { balance: number; debt: number }): MergeTransfer | null {
  const net = merged.balance - merged.debt;
  if (net === 0) return null;
  return { merged: -net, survivor: net };
}
