// The counter's words in English: the reference every other language is checked against. Each area of the
// counter keeps its words in words/<area>.ts (English and French side by side, French typed as English's
// shape, so a missing key does not compile); this file gathers the English ones. {{name}} is filled in by
// t(), `_one` / `_other` pick the plural by Intl.PluralRules.
import type { Translation } from './translation.js';
import { bootWords } from './words/boot.js';
import { enrollTerminalWords } from './words/enroll-terminal.js';
import { replicationWords } from './words/replication.js';
import { statusWords } from './words/status.js';
import { devicesWords } from './words/devices.js';
import { syncQueueWords } from './words/sync-queue.js';
import { dayCloseWords } from './words/day-close.js';
import { shiftSummaryWords } from './words/shift-summary.js';
import { commonWords } from './words/common.js';
import { signInWords } from './words/sign-in.js';
import { idleWords } from './words/idle.js';
import { enrollWords } from './words/enroll.js';
import { managerWords } from './words/manager.js';
import { adjustWords } from './words/adjust.js';
import { voidWords } from './words/void.js';
import { returnWords } from './words/return.js';
import { plansActionsWords } from './words/plans-actions.js';
import { memberWords } from './words/member.js';
import { saleWords } from './words/sale.js';
import { redeemWords } from './words/redeem.js';
import { eventsWords } from './words/events.js';
import { pointsWords } from './words/points.js';
import { refusalsWords } from './words/refusals.js';
import { amountWords } from './words/amount.js';
import { countdownWords } from './words/countdown.js';
import { customerWords } from './words/customer.js';
import { quoteWords } from './words/quote.js';
import { slipWords } from './words/slip.js';

export const en = {
  boot: bootWords.en,
  enrollTerminal: enrollTerminalWords.en,
  replication: replicationWords.en,
  status: statusWords.en,
  devices: devicesWords.en,
  syncQueue: syncQueueWords.en,
  dayClose: dayCloseWords.en,
  shiftSummary: shiftSummaryWords.en,
  common: commonWords.en,
  signIn: signInWords.en,
  idle: idleWords.en,
  enroll: enrollWords.en,
  manager: managerWords.en,
  adjust: adjustWords.en,
  void: voidWords.en,
  return: returnWords.en,
  plansActions: plansActionsWords.en,
  member: memberWords.en,
  sale: saleWords.en,
  redeem: redeemWords.en,
  events: eventsWords.en,
  points: pointsWords.en,
  refusals: refusalsWords.en,
  amount: amountWords.en,
  countdown: countdownWords.en,
  customer: customerWords.en,
  quote: quoteWords.en,
  slip: slipWords.en,
};

/** The shape every language has: en's keys, each a string. */
export type Messages = Translation<typeof en>;
