// What the customer-facing display shows, made on the cashier's side from what the counter shows: the
// member's first name and balance, the basket and the points it earns, the next reward within reach, and
// a thank-you after a recording. Pure, so it is tested in Node; the result is the whole of what crosses to
// the customer window (src-shared/ipc/customer-view.ts), so nothing else of the member (phone, card, id,
// last name) is ever read here.
import {
  customerFirstNameSchema,
  MAX_CUSTOMER_LINES,
  type CustomerView,
} from '../../src-shared/ipc/customer-view.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { SaleLine } from '../hooks/basket.js';
import { basketTotal, saleLineTotal } from '../hooks/basket.js';
import type { SlipSummary } from '../hooks/use-slip.js';

/** The sale on the cashier's screen, as the sale screen publishes it. */
export interface CustomerSale {
  memberId: string;
  lines: readonly SaleLine[];
  /** The points the basket earns; null while it is quoted (or when it cannot be). */
  points: number | null;
}

export interface CustomerViewInput {
  /** The store's locale the counter speaks ("fr-FR"), for the customer page to speak too. */
  locale: string;
  program: Program | null;
  /** The member at the counter as the cashier sees them; null when nobody is. */
  member: { member: Member; balance: { total: number } } | null;
  sale: CustomerSale | null;
  /** What was just recorded for the member (the slip on the cashier's screen). */
  done: SlipSummary | null;
}

/** "Alice M." → "Alice", "Mary Ann K." → "Mary Ann"; null for anything that is not a plain name. */
export function firstNameOf(displayName: string): string | null {
  const name = displayName.trim().replace(/\s+/g, ' ');
  const initialled = /^(.+?) \S\.$/u.exec(name);
  const first = (initialled ? initialled[1] : name.split(' ')[0]) ?? '';
  return customerFirstNameSchema.safeParse(first).success ? first : null;
}

/**
 * The reward the member is working towards with `points`: the cheapest they may take (active, their
 * tier) that they cannot afford yet; when they can afford every one, the dearest they can. Null when the
 * program offers them none.
 */
export function nextRewardFor(
  program: Program,
  member: Pick<Member, 'tier'>,
  points: number,
): NonNullable<CustomerView['member']>['nextReward'] {
  const open = program.rewards.filter(
    (r) => r.active && (!r.tiers || (member.tier !== null && r.tiers.includes(member.tier))),
  );
  const ahead = open.filter((r) => r.cost > points).sort((a, b) => a.cost - b.cost)[0];
  if (ahead) return { label: ahead.label, cost: ahead.cost, missing: ahead.cost - points };
  const best = open.sort((a, b) => b.cost - a.cost)[0];
  return best ? { label: best.label, cost: best.cost, missing: 0 } : null;
}

/** The customer view for what the counter shows now. */
export function customerViewOf(input: CustomerViewInput): CustomerView {
  const { locale, program, member, sale, done } = input;
  const balance = member?.balance.total ?? 0;
  const earning = sale?.points ?? 0;
  return {
    locale,
    programName: program?.name ?? null,
    member: member
      ? {
          firstName: firstNameOf(member.member.displayName),
          balance,
          // Within reach once this sale's points are in.
          nextReward: program ? nextRewardFor(program, member.member, balance + Math.max(0, earning)) : null,
        }
      : null,
    sale: sale
      ? {
          currency: program?.currency ?? 'EUR',
          // The latest lines of a basket too long for the screen; the total is the whole basket's.
          lines: sale.lines.slice(-MAX_CUSTOMER_LINES).map((line) => ({
            name: line.name.slice(0, 120) || '—',
            quantity: line.quantity,
            total: saleLineTotal(line),
          })),
          total: basketTotal(sale.lines),
          points: sale.points,
        }
      : null,
    done: done
      ? { kind: done.kind, points: Math.max(0, done.points), reward: done.reward?.slice(0, 80) ?? null }
      : null,
  };
}
