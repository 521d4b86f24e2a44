// An earn on a card the till does not know (issue 15): offline, or with HQ out of reach, a loyalty card that
// is not in the till's replica (a member outside the store's scope, or a card nobody holds) can still earn
// the basket's points. The till records a `points-earned` event whose memberId is the card's placeholder,
// `card:<number>`, and HQ, which knows every card, credits the card's member with its own event that names
// the till's one (`payload.attached`), or opens a `card-unknown` review item when the card is unknown there
// too. The till's event is never rewritten: its chain stays intact.
//
// One rule for both ends: what a placeholder is, what the till quotes without the member, that nothing but
// an earn is recorded against a card (no balance is known, so the offline bound could not hold), and the
// figure HQ credits once it knows the member. Pure.
import type { QuoteMember } from '../engine/conditions.js';
import { requoteEarn } from './claims.js';
import type { Program } from '../program/schema.js';
import type { EventOf, ExplanationLine } from './events.js';
import { cardNumberSchema } from './member.js';

/** The prefix of a card placeholder memberId. Member ids never start with it (the event schema refuses it). */
export const CARD_EARN_PREFIX = 'card:';
/** memberId's bound in the event envelope: a card longer than this less the prefix has no placeholder. */
const MEMBER_ID_MAX = 64;
/** The longest card number an earn can be recorded against (59 characters: the prefix takes 5 of 64). */
export const CARD_EARN_MAX_CARD = MEMBER_ID_MAX - CARD_EARN_PREFIX.length;

/** Whether `memberId` is a card placeholder (well formed or not). */
export const isCardPlaceholder = (memberId: string): boolean => memberId.startsWith(CARD_EARN_PREFIX);

/**
 * The placeholder memberId an earn on `card` is recorded under, or null when the card cannot carry one: too
 * long for memberId's bound, or not a loyalty card number (a payment card is never recorded).
 */
export function cardEarnMemberId(card: string): string | null {
  const number = card.trim();
  if (number.length === 0 || number.length > CARD_EARN_MAX_CARD) return null;
  if (!cardNumberSchema.safeParse(number).success) return null;
  return `${CARD_EARN_PREFIX}${number}`;
}

/** The card a placeholder names, or null for a member id (or a malformed placeholder). */
export function cardOfPlaceholder(memberId: string): string | null {
  if (!isCardPlaceholder(memberId)) return null;
  const card = memberId.slice(CARD_EARN_PREFIX.length);
  return cardEarnMemberId(card) === memberId ? card : null;
}

/** Whether an event is a till's earn on a card it did not know. */
export const isCardEarn = (event: { type: string; memberId: string }): boolean =>
  event.type === 'points-earned' && isCardPlaceholder(event.memberId);

/**
 * What the till quotes an unknown card's basket for: a member with no tier, plan, birthday or referral, who
 * has bought before (no first-purchase or referral bonus). So the till never claims what only the member's
 * own facts could give; HQ re-quotes for the member it finds (creditForCardEarn) and gives them their due.
 */
export const CARD_EARN_QUOTE_MEMBER: QuoteMember = Object.freeze({
  tier: null,
  birthMonth: null,
  purchases: 1,
  plan: null,
  referredBy: null,
});

/** What HQ credits the card's member for a till's card earn. */
export interface CardEarnCredit {
  /** HQ's figure: the basket re-quoted for the member under the program version the till named. */
  points: number;
  /** HQ's explanation of that figure (the till's, when HQ could not re-quote). */
  explanation: ExplanationLine[];
  /** Points the till claimed above HQ's figure, held for an administrator (0 if none). */
  held: number;
  /** Why HQ did not credit the claim as made, for a review item; null when nothing is held. */
  finding: { reason: string; details: Record<string, unknown> } | null;
}

const pts = (n: number): string => `${n} ${Math.abs(n) === 1 ? 'point' : 'points'}`;

/**
 * HQ's figure for a card earn, once it knows the member holding the card. Unlike a member's earn (the till
 * quoted for the member it showed), the till quoted for a stand-in (CARD_EARN_QUOTE_MEMBER), so HQ's own
 * quote for the member is credited both ways: more when the member's tier or plan gives more, and an
 * over-claim is cut to HQ's figure with the rest held, as for any earn. An event whose content no longer
 * matches its hash credits nothing and holds the claim whole.
 */
export function creditForCardEarn(
  event: EventOf<'points-earned'>,
  member: QuoteMember,
  program: Program,
  intact: boolean,
): CardEarnCredit {
  const claimed = event.payload.points;
  const version = program.version;
  const held = (reason: string, details: Record<string, unknown>): CardEarnCredit => ({
    points: 0,
    explanation: [],
    held: claimed,
    finding: claimed > 0 ? { reason, details: { ...details, held: claimed } } : null,
  });
  if (!intact)
    return held(`card earn altered after it was sealed: 0 applied, ${claimed} held`, {
      quoted: claimed,
      computed: null,
      programVersion: version,
    });
  const requoted = requoteEarn(event, member, program);
  if (!requoted.ok)
    return held(
      `card earn quoted ${pts(claimed)}, HQ cannot re-quote under program v${version} (${requoted.why}): 0 applied, ${claimed} held`,
      { quoted: claimed, computed: null, programVersion: version },
    );
  const computed = requoted.quote;
  const hq = computed.points;
  if (hq >= claimed) return { points: hq, explanation: computed.explanation, held: 0, finding: null };
  return {
    points: hq,
    explanation: computed.explanation,
    held: claimed - hq,
    finding: {
      reason: `card earn quoted ${pts(claimed)}, HQ computes ${hq} for the card's member under program v${version}: ${hq} applied, ${claimed - hq} held`,
      details: {
        quoted: claimed,
        computed: hq,
        programVersion: version,
        held: claimed - hq,
        terminalExplanation: event.payload.explanation,
        hqExplanation: computed.explanation,
      },
    },
  };
}
