// A refusal in the cashier's language. The services and src-shared's rules write their messages in English
// (HQ keeps them in its API and logs); the counter says them from the structured part instead: the words
// the refusal names (`say`, words/refusals.ts) and the figures its message names, each figure formatted
// the way the message formats it, in the store's locale (hooks/format.ts: points with their plural, counts
// grouped, a plan's end in the store's zone; a status by name). In English the result is the message word
// for word. A refusal without words is said by its reason in general terms; one whose reason the counter
// does not know keeps its English message, logged as a missing translation (the French end-to-end test
// fails on that log).
import type { Problem, RefusalFigures } from '../../src-shared/kernel/problems.js';
import type { RejectionReason } from '../../src-shared/scan/result.js';
import type { RefusalSaying } from '../services/counter-types.js';
import { formatDay, formatNumber, pointsText } from '../hooks/format.js';
import { i18n } from './index.js';

/** What a refusal is said from: the services' Refusal, a return candidate's refusal, a shared rule's. */
export interface SaidRefusal {
  reason: string;
  message: string;
  say?: RefusalSaying;
  figures?: RefusalFigures;
}

type Format = 'count' | 'points' | 'day' | 'status' | 'eventStatus' | 'period' | 'times';

/** How a message formats its figures (a figure not named here is said as given). */
const FORMATS: Partial<Record<RefusalSaying, Readonly<Record<string, Format>>>> = {
  'counter.member-inactive-earn': { status: 'status' },
  'counter.void-not-counted': { status: 'eventStatus' },
  'counter.return-not-counted': { status: 'eventStatus' },
  'redemption.member-inactive': { status: 'status' },
  'redemption.needs-manager-override': { allowanceLeft: 'points', above: 'points' },
  'redemption.over-offline-allowance': { used: 'count', limit: 'points', cost: 'count' },
  'plan.member-inactive': { status: 'status' },
  'plan.plan-active': { until: 'day' },
  'action.member-inactive': { status: 'status' },
  'action.limit-reached': { used: 'times', period: 'period' },
};

/** Loose keys: the key is built from the refusal's words, checked by the typed tables and by i18n.exists. */
const say = (key: string, values?: Record<string, unknown>): string =>
  (i18n.t as unknown as (key: string, values?: Record<string, unknown>) => string)(key, values);

function formatted(
  figures: RefusalFigures,
  formats: Readonly<Record<string, Format>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(figures)) {
    const as = formats[name];
    const n = Number(value);
    switch (as) {
      case 'count':
        out[name] = formatNumber(n);
        break;
      case 'points':
        out[name] = pointsText(n);
        break;
      case 'times':
        out.times = say('refusals.times', { count: n });
        out[name] = String(value);
        break;
      case 'day':
        out[name] = formatDay(n, typeof figures.timeZone === 'string' ? figures.timeZone : null);
        break;
      case 'status':
      case 'eventStatus':
      case 'period':
        out[name] = say(`refusals.${as}.${String(value)}`);
        break;
      case undefined:
        out[name] = String(value);
    }
  }
  return out;
}

/** The key of a refusal's words (`return.unknown-line` without a line is `return.no-line`). */
function keyOf(refusal: SaidRefusal): string | null {
  if (refusal.say === 'return.unknown-line' && refusal.figures?.lines === 0) return 'refusals.return.no-line';
  if (refusal.say) return `refusals.${refusal.say}`;
  return null;
}

/** The refusal in the counter's language now (English: its message, word for word). */
export function refusalText(refusal: SaidRefusal): string {
  const key = keyOf(refusal);
  if (key && i18n.exists(key)) {
    const formats = (refusal.say && FORMATS[refusal.say]) ?? {};
    return say(key, formatted(refusal.figures ?? {}, formats));
  }
  const general = `refusals.reason.${refusal.reason}`;
  if (i18n.exists(general)) {
    // Words the refusal did not name: English keeps the message itself, which is more precise.
    if (i18n.language === 'en') return refusal.message;
    return say(general);
  }
  console.warn(`missing translation: ${i18n.language}:${key ?? general}`);
  return refusal.message;
}

/** The services' own field problems (enrollment.ts): the path and its English words. */
const KNOWN_PROBLEMS: Readonly<Record<string, { message: string; key: 'phone' | 'displayName' }>> = {
  phone: { message: 'not a phone number', key: 'phone' },
  displayName: { message: '1 to 40 characters', key: 'displayName' },
};

/**
 * A field's problem in the counter's language, shown beside the field. The services' own are said in
 * words; any other (a schema's English wording) stays as written in English and is "not valid" otherwise.
 */
export function problemText(problem: Problem): string {
  const known = KNOWN_PROBLEMS[problem.path];
  if (known && known.message === problem.message) return say(`refusals.problems.${known.key}`);
  return i18n.language === 'en' ? problem.message : say('refusals.problems.invalid');
}

/** A scan the till could not take (src-shared/scan's rejection), said from its reason. */
export const scanRejectionText = (rejection: { reason: RejectionReason }): string =>
  say(`refusals.scan.${rejection.reason}`);

/** The shared rules whose reasons have words of their own (words/refusals.ts). */
export type RefusalRule = 'redemption' | 'plan' | 'action' | 'return' | 'void';

/**
 * A shared rule's refusal, asked by a screen itself (the plans & actions screen before its sheet), as the
 * counter says it: its words are the rule's reason; `more` adds figures the rule does not know (the store's
 * zone for a plan's end).
 */
export const ruleRefusal = (
  rule: RefusalRule,
  refusal: { reason: string; message: string; figures?: RefusalFigures },
  more: RefusalFigures = {},
): SaidRefusal => ({
  ...refusal,
  say: `${rule}.${refusal.reason}` as RefusalSaying,
  figures: { ...refusal.figures, ...more },
});
