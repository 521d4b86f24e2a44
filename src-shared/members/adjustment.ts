// Which points adjustments a console user may make (docs/decisions.md, "Adjustments from the console").
// The program caps what a terminal's manager may credit (`adjustments.caps.manager`; over it HQ holds
// the rest for an administrator, src-shared/ledger/claims.ts). The console follows the same ladder:
// an administrator is the one who approves those held credits, so an admin is capped only by the ledger's
// bound; a program manager and a store manager (on their own stores' members) credit up to the manager
// cap; an analyst adjusts nothing. A debit may take at most what the member can spend (balance − debt):
// the console never pushes a member into debt — debt only comes from offline overdrafts.
import type { ConsoleRole } from '../console/endpoint.js';
import { MAX_POINTS } from '../kernel/points.js';
import type { Adjustments } from '../program/schema.js';

/** The largest credit a role may make; null when the role may not adjust at all. */
export function adjustmentCap(role: ConsoleRole, caps: Adjustments['caps']): number | null {
  switch (role) {
    case 'admin':
      return MAX_POINTS;
    case 'program-manager':
    case 'store-manager':
      return caps.manager;
    case 'analyst':
      return null;
  }
}

export type AdjustmentRefusal =
  | { code: 'not-allowed'; message: string }
  | { code: 'over-cap'; message: string }
  | { code: 'over-balance'; message: string }
  | { code: 'zero'; message: string };

/** Checks an adjustment of `points` (positive credit, negative debit); null when it may be made. */
export function refuseAdjustment(input: {
  role: ConsoleRole;
  caps: Adjustments['caps'];
  points: number;
  /** What the member can spend now: balance − debt. */
  spendable: number;
}): AdjustmentRefusal | null {
  const cap = adjustmentCap(input.role, input.caps);
  if (cap === null) return { code: 'not-allowed', message: `A ${input.role} cannot adjust points.` };
  if (input.points === 0) return { code: 'zero', message: 'An adjustment is never zero points.' };
  if (input.points > cap)
    return {
      code: 'over-cap',
      message: `A ${input.role} may credit at most ${cap} points at once; ask an administrator.`,
    };
  if (input.points < 0 && -input.points > Math.max(0, input.spendable))
    return {
      code: 'over-balance',
      message: `The member can spend ${Math.max(0, input.spendable)} points: a debit cannot take more.`,
    };
  return null;
}
