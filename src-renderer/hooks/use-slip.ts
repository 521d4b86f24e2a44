// The member's slip at the counter: after a sale, a redemption or an enrollment is recorded, the screen
// builds the slip with the shared pure function (src-shared/receipt/slip.ts), keeps it here to show on the
// member's screen, and asks main to print it. Printing is never waited on: the slip shows at once as
// "Printing…", and a printer missing or out of paper leaves it on screen with the reason (the status bar
// says the same, from the printer's device status).
//
// The slip outlives the screen that recorded it (the counter moves to the member's screen at once), so it
// lives in a small store beside the components rather than in one screen's state. It is put away when the
// counter leaves that member's screen (useSlipFollowsRoute), so an old slip never shows for a later visit.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { Program } from '../../src-shared/program/schema.js';
import type { Currency } from '../../src-shared/kernel/money.js';
import type { PrintSlipAnswer, Slip, SlipEvent, SlipKind, SlipWords } from '../../src-shared/receipt/slip.js';
import { ENGLISH_SHIFT_SLIP_WORDS, type ShiftSlipWords } from '../../src-shared/receipt/shift-slip.js';
import { ENGLISH_SLIP_WORDS, buildSlip } from '../../src-shared/receipt/slip.js';
import { EXPIRING_SOON_DAYS } from '../components/balance-panel.js';
import { currentLocale, i18n } from '../i18n/index.js';
import type { ShownMember } from '../services/index.js';
import type { Route } from './use-counter.js';
import { formatNumber, moneyText } from './format.js';
import { useProgram } from './use-program.js';
import { useSession, type SignedIn } from './use-session.js';
import { useTerminal } from './use-terminal.js';

/** What happened, in figures: what the customer display thanks the member for (a return: nothing). */
export interface SlipSummary {
  kind: Exclude<SlipKind, 'return'>;
  /** Points earned (sale), spent (redemption, positive) or given as a welcome bonus (enrollment). */
  points: number;
  /** The reward redeemed (its label), for a redemption. */
  reward: string | null;
}

export interface ShownSlip {
  slip: Slip;
  /** Null for a return: the customer display thanks for nothing. */
  summary: SlipSummary | null;
  memberId: string;
  /** Who recorded it: another cashier signing in never sees it. */
  cashierId: string;
  /** 'printing' until main answers. */
  print: 'printing' | PrintSlipAnswer;
}

/** What a screen hands over once its event is recorded. */
export interface RecordedForSlip {
  event: SlipEvent;
  /** The member as shown after the event (the services' Recorded.member). */
  member: ShownMember | null;
}

/** The message shown when the slip could not even be handed to main (the host did not answer). */
export const PRINT_NOT_SENT = 'The slip could not be sent to the printer.';

/** Intl's spaces (no-break, narrow no-break) as plain ones: code page 437 has neither, a printer would print "?". */
const printable = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

/**
 * Money on a slip in the store's format with the currency's code for its symbol: "5,00 EUR" (fr-FR). The
 * printer is driven on code page 437, the one every ESC/POS printer has, which has no "€" (docs/decisions.md
 * "The slip in the store's language"). The amount reaches Intl as an exact decimal string, never a float.
 */
export function slipMoney(amount: number, currency: Currency, locale: string): string {
  return printable(moneyText(amount, currency, locale, 'code'));
}

/**
 * The slip's words in the store's language. English stays src-shared's own words, line for line what HQ and
 * the tests know ("5.00 EUR", "1,240"); another language takes the counter's words (i18n/words/slip.ts)
 * and the store's number and money format, in characters the printer prints.
 */
export function slipWordsFor(locale: string): SlipWords {
  if (i18n.language === 'en') return ENGLISH_SLIP_WORDS;
  const t = i18n.getFixedT(i18n.language);
  const number = (n: number): string => printable(formatNumber(n, locale));
  const points = (n: number): string => t('slip.points', { count: Math.abs(n), points: number(n) });
  return {
    money: (amount, currency) => slipMoney(amount, currency, locale),
    number,
    points,
    storeTerminal: (store, terminal) => t('slip.storeTerminal', { store, terminal }),
    cashier: (name) => t('slip.cashier', { name }),
    member: t('slip.member'),
    card: t('slip.card'),
    cardEnding: (last) => t('slip.cardEnding', { last }),
    purchaseTotal: t('slip.purchaseTotal'),
    pointsEarned: t('slip.pointsEarned'),
    rewardRedeemed: t('slip.rewardRedeemed'),
    welcome: (program) => t('slip.welcome', { program }),
    welcomeBonus: t('slip.welcomeBonus'),
    itemsReturned: t('slip.itemsReturned'),
    fromSaleOf: t('slip.fromSaleOf'),
    saleRef: t('slip.saleRef'),
    line: (n) => t('slip.line', { n }),
    moreLines: (count) => t('slip.moreLines', { count }),
    pointsTakenBack: t('slip.pointsTakenBack'),
    balance: t('slip.balance'),
    balancePending: t('slip.balancePending'),
    pendingNote: t('slip.pendingNote'),
    expire: (n, days) => t('slip.expire', { points: points(n), days, count: n }),
    ref: (id) => t('slip.ref', { id }),
  };
}

/**
 * The shift summary slip's words in the store's language: English stays src-shared's own; another language
 * takes the counter's words (i18n/words/slip.ts, `shift`) and the store's formats, in printable characters.
 */
export function shiftSlipWordsFor(locale: string): ShiftSlipWords {
  if (i18n.language === 'en') return ENGLISH_SHIFT_SLIP_WORDS;
  const t = i18n.getFixedT(i18n.language);
  const slip = slipWordsFor(locale);
  return {
    money: slip.money,
    number: slip.number,
    sales: t('slip.shift.sales'),
    pointsIssuedRedeemed: t('slip.shift.pointsIssuedRedeemed'),
    enrolledOverridesAdjust: t('slip.shift.enrolledOverridesAdjust'),
    voidsReturns: t('slip.shift.voidsReturns'),
    tillTotal: t('slip.shift.tillTotal'),
    counted: (count) => t('slip.shift.counted', { count }),
    notCounted: (count) => t('slip.shift.notCounted', { count }),
    noActivity: t('slip.shift.noActivity'),
    heading: (day, page) =>
      page ? t('slip.shift.page', { day, at: page.at, of: page.of }) : t('slip.shift.heading', { day }),
    storeTerminal: slip.storeTerminal,
    printed: (when) => t('slip.shift.printed', { when }),
  };
}

/** The slip of a recorded event, with its figures; null without a program or a member to show. */
export function makeShownSlip(
  recorded: RecordedForSlip,
  context: { program: Program | null; cashier: SignedIn | null; words?: SlipWords },
): Omit<ShownSlip, 'print'> | null {
  const { event, member } = recorded;
  const { program, cashier } = context;
  if (!program || !member || !cashier) return null;
  const slip = buildSlip({
    event,
    shown: member,
    program,
    store: { id: event.storeId },
    cashier: { name: cashier.name },
    expiringWithinDays: EXPIRING_SOON_DAYS,
    words: context.words ?? slipWordsFor(currentLocale()),
  });
  return { slip, summary: summaryOf(event, program), memberId: event.memberId, cashierId: cashier.id };
}

function summaryOf(event: SlipEvent, program: Program): SlipSummary | null {
  switch (event.type) {
    case 'points-earned':
      return { kind: 'earn', points: event.payload.points, reward: null };
    case 'points-redeemed': {
      const { rewardId, cost } = event.payload;
      const label = program.rewards.find((r) => r.id === rewardId)?.label ?? rewardId;
      return { kind: 'redeem', points: cost, reward: label };
    }
    case 'member-enrolled':
      return { kind: 'enroll', points: event.payload.welcomeBonus, reward: null };
    case 'points-returned':
      return null;
  }
}

/**
 * The last slip made at this counter and how its printing went. `show` puts a slip on screen at once and
 * hands it to `print` without waiting; the answer (or a failure to answer) updates that slip only, never
 * a newer one shown meanwhile.
 */
export class SlipStore {
  private current: ShownSlip | null = null;
  private readonly listeners = new Set<() => void>();

  get = (): ShownSlip | null => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  show(made: Omit<ShownSlip, 'print'>, print: (slip: Slip) => Promise<PrintSlipAnswer>): ShownSlip {
    const shown: ShownSlip = { ...made, print: 'printing' };
    this.set(shown);
    const settle = (answer: PrintSlipAnswer): void => {
      if (this.current?.slip === shown.slip) this.set({ ...shown, print: answer });
    };
    let sent: Promise<PrintSlipAnswer>;
    try {
      sent = print(shown.slip);
    } catch {
      sent = Promise.reject(new Error('not sent'));
    }
    sent.then(settle, () => settle({ printed: false, reason: 'failed', message: PRINT_NOT_SENT }));
    return shown;
  }

  dismiss(): void {
    if (this.current !== null) this.set(null);
  }

  private set(next: ShownSlip | null): void {
    this.current = next;
    for (const listener of this.listeners) listener();
  }
}

/** The counter's one slip store. */
export const slips = new SlipStore();

/** The last slip made at this counter, with how its printing went. */
export function useShownSlip(): ShownSlip | null {
  return useSyncExternalStore(slips.subscribe, slips.get);
}

/** Puts the slip away (the cashier closed it). */
export const dismissSlip = (): void => slips.dismiss();

/** Whether a slip belongs on the screen the counter shows: its member's screen, for its cashier. */
export function slipShownOn(
  shown: Pick<ShownSlip, 'memberId' | 'cashierId'>,
  route: Route,
  cashierId: string | null,
): boolean {
  return route.name === 'member' && route.memberId === shown.memberId && cashierId === shown.cashierId;
}

/**
 * Puts the slip away as soon as the counter leaves its member's screen (another member, a new sale, the
 * idle screen, a sign-out), so it is never shown again for a later visit.
 */
export function useSlipFollowsRoute(route: Route, cashierId: string | null): void {
  useEffect(() => {
    const shown = slips.get();
    if (shown && !slipShownOn(shown, route, cashierId)) slips.dismiss();
  }, [route, cashierId]);
}

/**
 * Returns what a screen calls once its event is recorded: builds the slip, shows it, and asks main to
 * print it (not waited on). Without a program or a member to show (never after a successful recording)
 * it does nothing.
 */
export function useSlip(): (recorded: RecordedForSlip) => void {
  const { api } = useTerminal();
  const program = useProgram();
  const { cashier } = useSession();
  return useCallback(
    (recorded) => {
      const made = makeShownSlip(recorded, { program, cashier });
      if (made) slips.show(made, (slip) => api.printSlip(slip));
    },
    [api, program, cashier],
  );
}
