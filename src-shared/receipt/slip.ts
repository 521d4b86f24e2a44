// The member's slip after a sale (earn), a redemption, an enrollment or a return: what the counter shows on screen
// and main prints on the receipt printer. Pure: built from the recorded event, the member as shown after it
// and the program, so the screen and the paper cannot disagree. The slip crosses to main as data (lines of
// text, validated by `slipSchema`), and main only encodes it: no rule about what a slip says lives there.
//
// No payment card number ever appears: every text of a slip is checked by the payment-card guard (the schema
// refuses one that looks like a card number), and the member's loyalty card shows as its last four only.
import { z } from 'zod';
import { expiringSoon } from '../engine/expiry.js';
import { formatMoney } from '../kernel/money.js';
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
}

/** 1234567 → "1,234,567": points on paper, no locale (the till and the tests agree). */
export function groupDigits(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const pointsWord = (n: number): string => `${groupDigits(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;
const signed = (n: number): string => `${n > 0 ? '+' : ''}${groupDigits(n)}`;

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

const text = (value: string, style: 'title' | 'plain' | 'strong' | 'note' = 'plain'): SlipLine => ({
  kind: 'text',
  text: fit(value),
  style,
});
const pair = (label: string, value: string, strong = false): SlipLine => ({
  kind: 'pair',
  label: fit(label),
  value: fit(value),
  strong,
});
const rule: SlipLine = { kind: 'rule' };

/** What happened, as the slip's middle lines. */
function whatHappened(event: SlipEvent, program: Program): SlipLine[] {
  switch (event.type) {
    case 'points-earned': {
      const { basket, points } = event.payload;
      return [
        pair('Purchase total', formatMoney(basket.total, basket.currency)),
        pair('Points earned', signed(points), true),
      ];
    }
    case 'points-redeemed': {
      const { rewardId, quantity, cost } = event.payload;
      const label = program.rewards.find((r) => r.id === rewardId)?.label ?? rewardId;
      // A redemption event carries no reward code (the reward is applied at the till): nothing to print.
      return [
        text('Reward redeemed', 'strong'),
        pair(quantity > 1 ? `${quantity} x ${label}` : label, signed(-cost), true),
      ];
    }
    case 'member-enrolled': {
      const bonus = event.payload.welcomeBonus;
      return [
        text(`Welcome to ${program.name}!`, 'strong'),
        ...(bonus > 0 ? [pair('Welcome bonus', signed(bonus), true)] : []),
      ];
    }
    case 'points-returned': {
      // The lines by SKU and units (the sale carries no product names), the sale they came from by its
      // time and reference, and the points taken back.
      const { original, lines, points } = event.payload;
      const shown = lines.slice(0, MAX_SLIP_RETURN_LINES);
      const more = lines.length - shown.length;
      return [
        text('Items returned', 'strong'),
        pair('From sale of', slipDateTime(original.occurredAt, program.timeZone)),
        pair('Sale ref', original.id.slice(-12)),
        ...shown.map((l) => pair(`${l.quantity} x ${l.sku}`, `line ${l.line + 1}`)),
        ...(more > 0 ? [text(`and ${more} more ${more === 1 ? 'line' : 'lines'}`)] : []),
        pair('Points taken back', signed(-points), true),
      ];
    }
  }
}

/** The slip for a recorded earn, redemption, enrollment or return. */
export function buildSlip(input: SlipInput): Slip {
  const { event, shown, program, store, cashier } = input;
  const member = shown.member;
  const pending = isPending(shown.hq, { event, memberSeq: null });
  const balance = netPoints(member);
  const at = Date.parse(event.occurredAt);
  const expiring = expiringSoon(member, program, at, input.expiringWithinDays);
  const card = member.cards[0];

  const lines: SlipLine[] = [
    text(program.name, 'title'),
    text(`Store ${store.name ?? store.id}, terminal ${event.terminalId}`),
    text(slipDateTime(event.occurredAt, program.timeZone)),
    text(`Cashier: ${cashier.name}`),
    rule,
    pair('Member', member.displayName),
    ...(card !== undefined && card.length >= 4 ? [pair('Card', `ending ${card.slice(-4)}`)] : []),
    rule,
    ...whatHappened(event, program),
    rule,
    pair(pending ? 'Balance (pending)' : 'Balance', pointsWord(balance), true),
  ];
  if (pending) lines.push(text('Pending: not yet confirmed by HQ.', 'note'));
  if (expiring > 0)
    lines.push(text(`${pointsWord(expiring)} expire within ${input.expiringWithinDays} days`, 'strong'));
  lines.push(text(`Ref ${event.id.slice(-12)}`, 'note'));
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
