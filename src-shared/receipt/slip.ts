// The member's slip after a sale (earn), a redemption, an enrollment or a return: what the counter shows on screen
// and main prints on the receipt printer. Pure: built from the recorded event, the member as shown after it
// and the program, so the screen and the paper cannot disagree. The slip crosses to main as data (lines of
// text, validated by `slipSchema`), and main only encodes it: no rule about what a slip says lives there.
//
// No payment card number ever appears: every text of a slip is checked by the payment-card guard (the schema
// refuses one that looks like a card number), and the member's loyalty card shows as its last four only.
import { z } from 'zod';
import { expiringSoon } from '../engine/expiry.js';
import { formatMoney, type Currency } from '../kernel/money.js';
import { localTime } from '../kernel/zoned-time.js';
import type { EventOf } from '../ledger/events.js';
import { netPoints, type Member } from '../ledger/member.js';
import { isPending } from '../ledger/pending.js';
import type { Program } from '../program/schema.js';
import { paymentCardIn } from '../scan/payment-guard.js';

/** The events a slip is printed for. */
export type SlipEvent =
  | EventOf<'points-earned'>
  | EventOf<'points-redeemed'>
  | EventOf<'member-enrolled'>
  | EventOf<'points-returned'>;
export type SlipKind = 'earn' | 'redeem' | 'enroll' | 'return';

/** Returned lines a slip lists one by one; the rest are counted on one line (a slip is never a document). */
export const MAX_SLIP_RETURN_LINES = 10;

/** Longest text of one slip item: a slip is a few short lines, never a document. */
export const MAX_SLIP_TEXT = 64;
export const MAX_SLIP_LINES = 40;

const slipText = z
  .string()
  .max(MAX_SLIP_TEXT)
  .refine((text) => paymentCardIn(text) === undefined, 'looks like a payment card number');

export const slipLineSchema = z.discriminatedUnion('kind', [
  /** A line of text: `title` is the program's name, large and centred; `note` is small print. */
  z
    .object({
      kind: z.literal('text'),
      text: slipText,
      style: z.enum(['title', 'plain', 'strong', 'note']),
    })
    .strict(),
  /** A label on the left and its value on the right ("Points earned ........ +12"). */
  z.object({ kind: z.literal('pair'), label: slipText, value: slipText, strong: z.boolean() }).strict(),
  /** A separating rule. */
  z.object({ kind: z.literal('rule') }).strict(),
]);
export type SlipLine = z.infer<typeof slipLineSchema>;

export const slipSchema = z
  .object({
    // 'shift-summary': the manager's shift summary (src-shared/receipt/shift-slip.ts); its eventId is the print's own id.
    kind: z.enum(['earn', 'redeem', 'enroll', 'shift-summary', 'return']),
    /** The recorded event the slip is for (one slip per event). */
    eventId: z.string().regex(/^[0-9a-f-]{36}$/, 'a UUID'),
    lines: z.array(slipLineSchema).min(1).max(MAX_SLIP_LINES),
  })
  .strict();
export type Slip = z.infer<typeof slipSchema>;

/**
 * Main's answer to "print this slip". Not printed is an answer, never a failure of the sale: the slip stays
 * on screen. 'no-printer': none configured; 'disconnected': configured but not there; 'paper-out',
 * 'cover-open', 'offline', 'not-answering': what the printer's status said (or did not); 'failed': writing
 * to the port failed.
 */
export const printSlipAnswerSchema = z.discriminatedUnion('printed', [
  z.object({ printed: z.literal(true), deviceId: z.string().min(1).max(64) }).strict(),
  z
    .object({
      printed: z.literal(false),
      reason: z.enum([
        'no-printer',
        'disconnected',
        'paper-out',
        'cover-open',
        'offline',
        'not-answering',
        'failed',
      ]),
      /** In words for the cashier. */
      message: z.string().max(200),
    })
    .strict(),
]);
export type PrintSlipAnswer = z.infer<typeof printSlipAnswerSchema>;

export interface SlipInput {
  event: SlipEvent;
  /**
   * The member as shown after the event (`member`: HQ's member with this terminal's pending events) and
   * HQ's member as pulled (`hq`, null for a member enrolled here): the balance is pending while `hq` does
   * not include the event.
   */
  shown: { member: Member; hq: Member | null };
  program: Program;
  store: { id: string; name?: string | null };
  cashier: { name: string };
  /** How far ahead the slip warns of expiring points (the counter's EXPIRING_SOON_DAYS). */
  expiringWithinDays: number;
  /** The words it writes: English when not given. */
  words?: SlipWords;
}

/** 1234567 → "1,234,567": points on paper, no locale (the till and the tests agree). */
export function groupDigits(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The words a slip writes, and how it writes money and numbers: the caller's, in the store's language (the
 * counter passes French from src-renderer/i18n/words/slip.ts), English by default so HQ and other callers
 * are unchanged. Every text still goes through the slip's length and payment-card checks. What is given
 * must print on a receipt printer's code page (docs/decisions.md "The slip in the store's language").
 */
export interface SlipWords {
  /** An amount in minor units: "5.00 EUR". */
  money: (amount: number, currency: Currency) => string;
  /** A count of points, grouped: "1,240". */
  number: (n: number) => string;
  /** "1,240 points", "1 point". */
  points: (n: number) => string;
  storeTerminal: (store: string, terminal: string) => string;
  cashier: (name: string) => string;
  member: string;
  card: string;
  cardEnding: (lastFour: string) => string;
  purchaseTotal: string;
  pointsEarned: string;
  rewardRedeemed: string;
  welcome: (program: string) => string;
  welcomeBonus: string;
  itemsReturned: string;
  fromSaleOf: string;
  saleRef: string;
  /** A returned line's position on the sale: "line 2". */
  line: (n: number) => string;
  /** "and 3 more lines". */
  moreLines: (n: number) => string;
  pointsTakenBack: string;
  balance: string;
  balancePending: string;
  pendingNote: string;
  /** "12 points expire within 30 days". */
  expire: (points: number, days: number) => string;
  ref: (id: string) => string;
}

const englishPoints = (n: number): string => `${groupDigits(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;

/** The slip in English, money as "5.00 EUR" and points as "1,240": what every caller got before languages. */
export const ENGLISH_SLIP_WORDS: SlipWords = {
  money: formatMoney,
  number: groupDigits,
  points: (n) => englishPoints(n),
  storeTerminal: (store, terminal) => `Store ${store}, terminal ${terminal}`,
  cashier: (name) => `Cashier: ${name}`,
  member: 'Member',
  card: 'Card',
  cardEnding: (lastFour) => `ending ${lastFour}`,
  purchaseTotal: 'Purchase total',
  pointsEarned: 'Points earned',
  rewardRedeemed: 'Reward redeemed',
  welcome: (program) => `Welcome to ${program}!`,
  welcomeBonus: 'Welcome bonus',
  itemsReturned: 'Items returned',
  fromSaleOf: 'From sale of',
  saleRef: 'Sale ref',
  line: (n) => `line ${n}`,
  moreLines: (n) => `and ${n} more ${n === 1 ? 'line' : 'lines'}`,
  pointsTakenBack: 'Points taken back',
  balance: 'Balance',
  balancePending: 'Balance (pending)',
  pendingNote: 'Pending: not yet confirmed by HQ.',
  expire: (points, days) => `${englishPoints(points)} expire within ${days} days`,
  ref: (id) => `Ref ${id}`,
};

/** "2025-03-14 18:05" in the store's time zone (the program's), 24-hour. */
export function slipDateTime(iso: string, timeZone: string): string {
  const local = localTime(Date.parse(iso), timeZone);
  const hh = String(Math.floor(local.minuteOfDay / 60)).padStart(2, '0');
  const mm = String(local.minuteOfDay % 60).padStart(2, '0');
  return `${local.date} ${hh}:${mm}`;
}

/** A text cut to what a slip line holds (names are at most 40 characters already; ids at most 64). */
const fit = (text: string): string => (text.length > MAX_SLIP_TEXT ? text.slice(0, MAX_SLIP_TEXT) : text);

const KINDS: Record<SlipEvent['type'], SlipKind> = {
  'points-earned': 'earn',
  'points-redeemed': 'redeem',
  'member-enrolled': 'enroll',
  'points-returned': 'return',
};
const kindOf = (event: SlipEvent): SlipKind => KINDS[event.type];

/** A line of text, cut to a slip's width. */
export const text = (value: string, style: 'title' | 'plain' | 'strong' | 'note' = 'plain'): SlipLine => ({
  kind: 'text',
  text: fit(value),
  style,
});
/** A label and its value, each cut to a slip's width. */
export const pair = (label: string, value: string, strong = false): SlipLine => ({
  kind: 'pair',
  label: fit(label),
  value: fit(value),
  strong,
});
export const rule: SlipLine = { kind: 'rule' };

/** What happened, as the slip's middle lines. */
function whatHappened(event: SlipEvent, program: Program, w: SlipWords): SlipLine[] {
  const signed = (n: number): string => `${n > 0 ? '+' : ''}${w.number(n)}`;
  switch (event.type) {
    case 'points-earned': {
      const { basket, points } = event.payload;
      return [
        pair(w.purchaseTotal, w.money(basket.total, basket.currency)),
        pair(w.pointsEarned, signed(points), true),
      ];
    }
    case 'points-redeemed': {
      const { rewardId, quantity, cost } = event.payload;
      const label = program.rewards.find((r) => r.id === rewardId)?.label ?? rewardId;
      // A redemption event carries no reward code (the reward is applied at the till): nothing to print.
      return [
        text(w.rewardRedeemed, 'strong'),
        pair(quantity > 1 ? `${quantity} x ${label}` : label, signed(-cost), true),
      ];
    }
    case 'member-enrolled': {
      const bonus = event.payload.welcomeBonus;
      return [
        text(w.welcome(program.name), 'strong'),
        ...(bonus > 0 ? [pair(w.welcomeBonus, signed(bonus), true)] : []),
      ];
    }
    case 'points-returned': {
      // The lines by SKU and units (the sale carries no product names), the sale they came from by its
      // time and reference, and the points taken back.
      const { original, lines, points } = event.payload;
      const shown = lines.slice(0, MAX_SLIP_RETURN_LINES);
      const more = lines.length - shown.length;
      return [
        text(w.itemsReturned, 'strong'),
        pair(w.fromSaleOf, slipDateTime(original.occurredAt, program.timeZone)),
        pair(w.saleRef, original.id.slice(-12)),
        ...shown.map((l) => pair(`${l.quantity} x ${l.sku}`, w.line(l.line + 1))),
        ...(more > 0 ? [text(w.moreLines(more))] : []),
        pair(w.pointsTakenBack, signed(-points), true),
      ];
    }
  }
}

/** The slip for a recorded earn, redemption, enrollment or return. */
export function buildSlip(input: SlipInput): Slip {
  const { event, shown, program, store, cashier } = input;
  const w = input.words ?? ENGLISH_SLIP_WORDS;
  const member = shown.member;
  const pending = isPending(shown.hq, { event, memberSeq: null });
  const balance = netPoints(member);
  const at = Date.parse(event.occurredAt);
  const expiring = expiringSoon(member, program, at, input.expiringWithinDays);
  const card = member.cards[0];

  const lines: SlipLine[] = [
    text(program.name, 'title'),
    text(w.storeTerminal(store.name ?? store.id, event.terminalId)),
    text(slipDateTime(event.occurredAt, program.timeZone)),
    text(w.cashier(cashier.name)),
    rule,
    pair(w.member, member.displayName),
    ...(card !== undefined && card.length >= 4 ? [pair(w.card, w.cardEnding(card.slice(-4)))] : []),
    rule,
    ...whatHappened(event, program, w),
    rule,
    pair(pending ? w.balancePending : w.balance, w.points(balance), true),
  ];
  if (pending) lines.push(text(w.pendingNote, 'note'));
  if (expiring > 0) lines.push(text(w.expire(expiring, input.expiringWithinDays), 'strong'));
  lines.push(text(w.ref(event.id.slice(-12)), 'note'));
  return { kind: kindOf(event), eventId: event.id, lines };
}

/** One line of a slip laid out for a given width. */
export interface LaidOutLine {
  text: string;
  align: 'left' | 'center';
  bold: boolean;
  /** Double height and width on paper (the title). */
  large: boolean;
}

/** Splits `value` into chunks of at most `width` characters, at spaces where it can. */
function wrap(value: string, width: number): string[] {
  const out: string[] = [];
  let rest = value;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * The slip as lines of at most `columns` characters (a 80 mm printer has 42 or 48 in its normal font, a
 * 58 mm one 32): labels left, values right, long texts wrapped. What main prints and the screen shows.
 */
export function layoutSlip(slip: Slip, columns: number): LaidOutLine[] {
  const width = Math.max(16, Math.floor(columns));
  const out: LaidOutLine[] = [];
  const plain = (line: string, bold = false): LaidOutLine => ({
    text: line,
    align: 'left',
    bold,
    large: false,
  });
  for (const line of slip.lines) {
    switch (line.kind) {
      case 'rule':
        out.push(plain('-'.repeat(width)));
        break;
      case 'text':
        if (line.style === 'title') {
          // Printed at double width: half the columns.
          for (const part of wrap(line.text, Math.floor(width / 2)))
            out.push({ text: part, align: 'center', bold: true, large: true });
        } else {
          for (const part of wrap(line.text, width)) out.push(plain(part, line.style === 'strong'));
        }
        break;
      case 'pair': {
        const room = width - line.label.length - 1;
        if (line.value.length <= room) {
          out.push(
            plain(
              `${line.label}${' '.repeat(width - line.label.length - line.value.length)}${line.value}`,
              line.strong,
            ),
          );
        } else {
          for (const part of wrap(line.label, width)) out.push(plain(part, line.strong));
          for (const part of wrap(line.value, width)) out.push(plain(part.padStart(width), line.strong));
        }
        break;
      }
    }
  }
  return out;
}
