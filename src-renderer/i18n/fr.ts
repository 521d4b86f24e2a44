// The counter's words in French (France and Belgium alike), gathered from words/<area>.ts.
import type { Messages } from './en.js';
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

export const fr: Messages = {
  boot: bootWords.fr,
  enrollTerminal: enrollTerminalWords.fr,
  replication: replicationWords.fr,
  status: statusWords.fr,
  devices: devicesWords.fr,
  syncQueue: syncQueueWords.fr,
  dayClose: dayCloseWords.fr,
  shiftSummary: shiftSummaryWords.fr,
  common: commonWords.fr,
  signIn: signInWords.fr,
  idle: idleWords.fr,
  enroll: enrollWords.fr,
  manager: managerWords.fr,
  adjust: adjustWords.fr,
  void: voidWords.fr,
  return: returnWords.fr,
  plansActions: plansActionsWords.fr,
  member: memberWords.fr,
  sale: saleWords.fr,
  redeem: redeemWords.fr,
  events: eventsWords.fr,
  points: pointsWords.fr,
  refusals: refusalsWords.fr,
  amount: amountWords.fr,
  countdown: countdownWords.fr,
  customer: customerWords.fr,
  quote: quoteWords.fr,
  slip: slipWords.fr,
};
