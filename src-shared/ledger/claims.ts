// HQ's check of a terminal's claim. A terminal is a trust boundary: each event it sends says how many
// points it moves, and HQ checks that figure against the program version the event names before the
// projection applies it. The rule is "credit no more than the program allows, debit no less":
//   - an over-claimed credit is applied at HQ's figure and the difference is held for an administrator
//     (approval credits it as an HQ event, rejection drops it);
//   - an under-claimed credit is applied as claimed (the terminal told the customer that figure) and reported;
//   - a redemption the customer received is never reversed: it is applied at the program's cost, whatever
//     the terminal claimed, and reported;
//   - an event whose content no longer matches its hash credits nothing (the credit is held whole) and
//     debits at the program's figure.
// Pure: the caller (HQ's ingest) resolves the program version, the member before the event, the event's
// integrity and the manager's role, and decides what to store and which review items to open.
import { checkAction } from '../engine/actions.js';
import { basketSchema } from '../engine/basket.js';
import type { QuoteMember } from '../engine/conditions.js';
import { quote, type EarnQuote } from '../engine/quote.js';
import { checkRedemption } from '../engine/redemption.js';
import { DAY_MS } from '../kernel/clock.js';
import { MAX_POINTS } from '../kernel/points.js';
import type { Program } from '../program/schema.js';
import { eventHash } from './chain.js';
import type { EventOf, LedgerEvent } from './events.js';
import { emptyMember, type Member } from './member.js';
import { returnClawback, type ReturnedUnits } from './returns.js';

/** The review kinds assessClaim reports. */
export const claimFindingKinds = [
  'quote-mismatch',
  'reward-mismatch',
  'reward-unknown',
  'reward-not-allowed',
  'action-unknown',
  'action-over-limit',
  'action-mismatch',
  'bonus-not-allowed',
  'welcome-mismatch',
  'plan-unknown',
  'plan-mismatch',
  'adjustment-over-cap',
  'return-mismatch',
  'return-unknown',
  'hq-only',
  'altered',
] as const;
export type ClaimFindingKind = (typeof claimFindingKinds)[number];

export interface ClaimFinding {
  /** A review kind, one of claimFindingKinds. */
  kind: string;
  /** Plain words for an administrator, e.g. 'redeemed "Free coffee" for 1 point; the program says 150'. */
  reason: string;
  /** JSON-able, no PII, no card numbers. */
  details: Record<string, unknown>;
}

export interface Ruling {
  /** The points figure HQ applies instead of the event's own; undefined = as claimed. Meaning per type:
   *  points-earned: payload.points; points-redeemed: payload.cost; points-adjusted: payload.points (signed);
   *  bonus-awarded: payload.points; member-enrolled: payload.welcomeBonus; plan-joined: the join bonus;
   *  event-voided: the points figure the ORIGINAL was applied at (so a void reverses what was applied). */
  points?: number;
  /** Points withheld from a credit, awaiting an administrator (approval credits them as an HQ event); 0 if none. */
  held: number;
  findings: ClaimFinding[];
}

export interface ClaimContext {
  /** The version the event names (HQ resolves it). */
  program: Program;
  /** The member before the event; null before enrollment (a fresh active member stands in). */
  member: Member | null;
  /** Whether the event's content matches its hash (false = altered in transit or on disk); see isIntact. */
  intact: boolean;
  /** The role HQ has on file for payload.managerId of an adjustment (null = unknown to HQ). */
  managerRole?: 'cashier' | 'manager' | null;
  /** For a return: the sale as HQ applied it and what earlier returns of it took (absent: HQ has none). */
  sale?: ReturnedSale;
}

/** A sale as HQ holds it when lines of it are returned. */
export interface ReturnedSale {
  /** The program version the sale names. */
  program: Program;
  /** The points HQ applied for the sale (its ruled figure, or the claim). */
  applied: number;
  /** Units returned by the returns HQ applied before this one. */
  returnedBefore: ReturnedUnits;
  /** Points those returns took back (as HQ applied them). */
  takenBefore: number;
}

/** Whether an event's content still hashes to its `hash`. */
export const isIntact = (event: LedgerEvent): boolean => eventHash(event) === event.hash;

const pts = (n: number): string => `${n} ${Math.abs(n) === 1 ? 'point' : 'points'}`;

function finding(kind: ClaimFindingKind, reason: string, details: Record<string, unknown>): ClaimFinding {
  return { kind, reason, details };
}

/** Applied as claimed. */
const asClaimed = (findings: ClaimFinding[] = []): Ruling => ({ held: 0, findings });

/** A credit of `claimed` applied at `allowed` (≤ claimed); the rest held. */
const creditAt = (claimed: number, allowed: number, findings: ClaimFinding[]): Ruling => {
  const points = Math.max(0, Math.min(claimed, allowed));
  return { points, held: claimed - points, findings };
};

/** What HQ applies for a terminal's event, what it holds, and what it reports. Pure; never throws for a valid event. */
export function assessClaim(event: LedgerEvent, ctx: ClaimContext): Ruling {
  const member = ctx.member ?? emptyMember(event.memberId, event.occurredAt);
  const version = ctx.program.version;
  const altered = ctx.intact
    ? null
    : (claimed: number | null): ClaimFinding =>
        finding(
          'altered',
          claimed === null
            ? `the event's content does not match its hash`
            : `the event's content does not match its hash: its ${pts(claimed)} are held until an administrator checks it`,
          { programVersion: version, claimed, hash: event.hash, computedHash: eventHash(event) },
        );
  switch (event.type) {
    case 'points-earned': {
      const claimed = event.payload.points;
      if (altered) return creditAt(claimed, 0, [altered(claimed)]);
      return assessEarn(event, member, ctx.program);
    }
    case 'points-redeemed': {
      const ruling = assessRedemption(event, member, ctx.program);
      // A debit: even altered, the redemption happened; it is applied at the program's cost when known.
      if (altered) ruling.findings.push(altered(null));
      return ruling;
    }
    case 'points-adjusted': {
      const claimed = event.payload.points;
      if (altered && claimed > 0) return creditAt(claimed, 0, [altered(claimed)]);
      const ruling = assessAdjustment(event, ctx.program, ctx.managerRole ?? null);
      if (altered) ruling.findings.push(altered(null));
      return ruling;
    }
    case 'bonus-awarded': {
      const claimed = event.payload.points;
      if (altered) return creditAt(claimed, 0, [altered(claimed)]);
      return assessBonus(event, member, ctx.program);
    }
    case 'member-enrolled': {
      const claimed = event.payload.welcomeBonus;
      if (altered) return creditAt(claimed, 0, [altered(claimed)]);
      const welcome = ctx.program.bonuses.welcome;
      if (claimed === welcome) return asClaimed();
      const reason = `enrolled with a welcome bonus of ${pts(claimed)}; program v${version} gives ${welcome}`;
      const details = { claimed, program: welcome, programVersion: version };
      return claimed > welcome
        ? creditAt(claimed, welcome, [
            finding('welcome-mismatch', `${reason}: ${welcome} applied, ${claimed - welcome} held`, details),
          ])
        : asClaimed([finding('welcome-mismatch', `${reason}: applied as claimed`, details)]);
    }
    case 'plan-joined':
      return assessPlan(event, ctx.program, altered);
    case 'event-voided': {
      // The caller passes the original's applied figure when projecting; here only an altered void that
      // would give points back (a redemption or a debit adjustment refunded) is stopped: it refunds nothing.
      if (!altered) return asClaimed();
      const original = event.payload.original;
      const refund =
        original.type === 'points-redeemed'
          ? original.payload.cost
          : original.type === 'points-adjusted' && original.payload.points < 0
            ? -original.payload.points
            : null;
      return refund === null
        ? asClaimed([altered(null)])
        : { points: 0, held: refund, findings: [altered(refund)] };
    }
    case 'points-returned': {
      const ruling = assessReturn(event, ctx.sale);
      // A debit: even altered, the lines came back; HQ takes back its own figure.
      if (altered) ruling.findings.push(altered(null));
      return ruling;
    }
    case 'points-expired':
    case 'tier-changed': {
      const findings = [
        finding('hq-only', `a terminal sent "${event.type}", which only HQ's jobs make`, {
          type: event.type,
          programVersion: version,
        }),
      ];
      if (altered) findings.push(altered(null));
      return asClaimed(findings);
    }
    case 'member-updated':
      return asClaimed(altered ? [altered(null)] : []);
  }
}

/**
 * An earn's basket quoted again by HQ, under the program version the event names, for `member` (as HQ has
 * them, or a stand-in): HQ's figure, or why the basket cannot be quoted (a line the program refuses...).
 */
export function requoteEarn(
  event: EventOf<'points-earned'>,
  member: QuoteMember,
  program: Program,
): { ok: true; quote: EarnQuote } | { ok: false; why: string } {
  try {
    const basket = basketSchema.parse({
      currency: event.payload.basket.currency,
      lines: event.payload.lines,
    });
    return { ok: true, quote: quote(basket, member, program, Date.parse(event.occurredAt)) };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** The earn re-quoted with the program version named, for the member as HQ has them. */
function assessEarn(event: EventOf<'points-earned'>, member: Member, program: Program): Ruling {
  const claimed = event.payload.points;
  const version = program.version;
  const requoted = requoteEarn(event, member, program);
  if (!requoted.ok)
    return creditAt(claimed, 0, [
      finding(
        'quote-mismatch',
        `quoted ${pts(claimed)}, HQ cannot re-quote under program v${version} (${requoted.why}): 0 applied, ${claimed} held`,
        { quoted: claimed, computed: null, programVersion: version },
      ),
    ]);
  const computed = requoted.quote;
  const hq = computed.points;
  if (hq === claimed) return asClaimed();
  const details = {
    quoted: claimed,
    computed: hq,
    programVersion: version,
    terminalExplanation: event.payload.explanation,
    hqExplanation: computed.explanation,
  };
  const reason = `quoted ${pts(claimed)}, HQ computes ${hq} under program v${version}`;
  return claimed > hq
    ? creditAt(claimed, hq, [
        finding('quote-mismatch', `${reason}: ${hq} applied, ${claimed - hq} held`, details),
      ])
    : asClaimed([finding('quote-mismatch', `${reason}: applied as claimed`, details)]);
}

/**
 * A return takes back what the sale's rules say its lines earned (returnClawback), computed from the sale
 * HQ holds: never less (a till that took back less is overruled), never more than what is left of the
 * sale; a till that took back more, within what is left, is applied as claimed (a debit is never reduced).
 */
function assessReturn(event: EventOf<'points-returned'>, sale: ReturnedSale | undefined): Ruling {
  const claimed = event.payload.points;
  const original = event.payload.original;
  if (!sale)
    return asClaimed([
      finding('return-unknown', `returned lines of sale ${original.id}, which HQ has not applied`, {
        original: original.id,
        claimed,
      }),
    ]);
  const due = returnClawback({
    original,
    program: sale.program,
    applied: sale.applied,
    returnedBefore: sale.returnedBefore,
    takenBefore: sale.takenBefore,
    lines: event.payload.lines,
  }).points;
  const left = Math.max(0, sale.applied - sale.takenBefore);
  const points = Math.min(left, Math.max(claimed, due));
  if (points === claimed && claimed === due) return asClaimed();
  const details = {
    original: original.id,
    claimed,
    computed: due,
    left,
    programVersion: sale.program.version,
  };
  const reason = `took back ${pts(claimed)} for returned lines; the sale's rules under program v${sale.program.version} take back ${due}`;
  const words =
    points === claimed ? `${reason}: applied as claimed (a debit)` : `${reason}: ${points} applied`;
  const found = [finding('return-mismatch', words, details)];
  return points === claimed ? asClaimed(found) : { points, held: 0, findings: found };
}

/** Redemption refusals that mean "the program does not allow it"; not enough points is the debt path's. */
const notAllowed = new Set(['reward-inactive', 'member-inactive', 'tier-only', 'over-transaction-limit']);

/** A redemption is applied at the program's cost; what the program would have refused is reported. */
function assessRedemption(event: EventOf<'points-redeemed'>, member: Member, program: Program): Ruling {
  const { rewardId, quantity, cost: claimed } = event.payload;
  const version = program.version;
  const reward = program.rewards.find((r) => r.id === rewardId);
  if (!reward)
    return asClaimed([
      finding(
        'reward-unknown',
        `redeemed reward "${rewardId}", which program v${version} does not list, for ${pts(claimed)}: applied as claimed`,
        { rewardId, quantity, claimed, programVersion: version },
      ),
    ]);
  // Beyond the bound the product is absurd anyway; the bound keeps the figure exact and applicable.
  const cost = Math.min(reward.cost * quantity, MAX_POINTS);
  const findings: ClaimFinding[] = [];
  const name = `"${reward.label}"${quantity > 1 ? ` × ${quantity}` : ''}`;
  if (claimed !== cost)
    findings.push(
      finding(
        'reward-mismatch',
        `redeemed ${name} for ${pts(claimed)}; program v${version} says ${cost}: ${cost} applied`,
        { rewardId, quantity, claimed, cost, programVersion: version },
      ),
    );
  const check = checkRedemption({
    rewardId,
    quantity,
    member,
    program,
    offline: { online: true },
    at: Date.parse(event.occurredAt),
  });
  if (!check.ok && notAllowed.has(check.error.reason))
    findings.push(
      finding(
        'reward-not-allowed',
        `redeemed ${name} although the program does not allow it (${check.error.message}): applied at ${pts(cost)}, not reversed`,
        { rewardId, quantity, cost, refusal: check.error.reason, programVersion: version },
      ),
    );
  return claimed === cost ? asClaimed(findings) : { points: cost, held: 0, findings };
}

/** Positive adjustments up to the approving role's cap; debits applied whole, flagged above the cap. */
function assessAdjustment(
  event: EventOf<'points-adjusted'>,
  program: Program,
  role: 'cashier' | 'manager' | null,
): Ruling {
  const claimed = event.payload.points;
  const cap = role === null ? 0 : program.adjustments.caps[role];
  if (Math.abs(claimed) <= cap) return asClaimed();
  const who = role === null ? `manager "${event.payload.managerId}", unknown to HQ,` : `a ${role}`;
  const details = {
    claimed,
    cap,
    role,
    managerId: event.payload.managerId,
    reasonCode: event.payload.reasonCode,
    programVersion: program.version,
  };
  if (claimed < 0)
    return asClaimed([
      finding(
        'adjustment-over-cap',
        `adjusted ${pts(claimed)}, above the ${pts(cap)} ${who} may adjust: applied as claimed (a debit)`,
        details,
      ),
    ]);
  return creditAt(claimed, cap, [
    finding(
      'adjustment-over-cap',
      `adjusted +${pts(claimed)}, above the ${pts(cap)} ${who} may give: ${cap} applied, ${claimed - cap} held for HQ approval`,
      details,
    ),
  ]);
}

/** Terminals may award action bonuses only, within the action's points and limits across all terminals. */
function assessBonus(event: EventOf<'bonus-awarded'>, member: Member, program: Program): Ruling {
  const { kind, actionId, points: claimed } = event.payload;
  const version = program.version;
  if (kind !== 'action')
    return creditAt(claimed, 0, [
      finding(
        'bonus-not-allowed',
        `a terminal awarded a ${kind} bonus of ${pts(claimed)}; only HQ gives those: 0 applied, ${claimed} held`,
        { bonusKind: kind, claimed, programVersion: version },
      ),
    ]);
  const check =
    actionId === null ? null : checkAction(member, actionId, program, Date.parse(event.occurredAt));
  if (check === null || !check.ok) {
    const reason = check === null ? 'action-unknown' : check.error.reason;
    const kindOf: ClaimFindingKind =
      reason === 'action-unknown'
        ? 'action-unknown'
        : reason === 'limit-reached'
          ? 'action-over-limit'
          : 'bonus-not-allowed';
    const why =
      check === null
        ? 'an action bonus without an action'
        : reason === 'action-unknown'
          ? `action "${actionId}", which program v${version} does not list`
          : check.error.message;
    return creditAt(claimed, 0, [
      finding(kindOf, `${why}: 0 of ${pts(claimed)} applied, all held`, {
        actionId,
        claimed,
        refusal: reason,
        programVersion: version,
      }),
    ]);
  }
  const allowed = check.value.points;
  if (claimed === allowed) return asClaimed();
  const reason = `awarded "${check.value.action.label}" ${pts(claimed)}; program v${version} gives ${allowed}`;
  const details = { actionId, claimed, program: allowed, programVersion: version };
  return claimed > allowed
    ? creditAt(claimed, allowed, [
        finding('action-mismatch', `${reason}: ${allowed} applied, ${claimed - allowed} held`, details),
      ])
    : asClaimed([finding('action-mismatch', `${reason}: applied as claimed`, details)]);
}

/** The plan must exist in the version named, with its fee and duration; its join bonus is the program's. */
function assessPlan(
  event: EventOf<'plan-joined'>,
  program: Program,
  altered: ((claimed: number | null) => ClaimFinding) | null,
): Ruling {
  const { planId, fee, until } = event.payload;
  const version = program.version;
  const plan = program.plans.find((p) => p.id === planId);
  if (!plan) {
    const findings = [
      finding(
        'plan-unknown',
        `joined plan "${planId}", which program v${version} does not list: no join bonus`,
        {
          planId,
          fee,
          programVersion: version,
        },
      ),
    ];
    if (altered) findings.push(altered(null));
    return { points: 0, held: 0, findings };
  }
  if (altered) return creditAt(plan.joinBonus, 0, [altered(plan.joinBonus)]);
  const findings: ClaimFinding[] = [];
  if (fee !== plan.fee)
    findings.push(
      finding(
        'plan-mismatch',
        `joined "${plan.label}" for a fee of ${fee}; program v${version} says ${plan.fee}`,
        {
          planId,
          fee,
          programFee: plan.fee,
          programVersion: version,
        },
      ),
    );
  const latest = Date.parse(event.occurredAt) + plan.durationDays * DAY_MS;
  if (Date.parse(until) > latest)
    findings.push(
      finding(
        'plan-mismatch',
        `joined "${plan.label}" until ${until}, later than the ${plan.durationDays} days program v${version} gives (${new Date(latest).toISOString()})`,
        { planId, until, latest: new Date(latest).toISOString(), programVersion: version },
      ),
    );
  return asClaimed(findings);
}
