// The French walks' shared check (test/e2e/languages.test.ts, test/e2e/languages-manager.test.ts): the
// counter's English words, found in what a page shows once HQ's own words are taken out, and the
// "missing translation" lines of a page's console.
import type { Page } from 'playwright-core';
import { COUNTER_PRODUCTS, type Counter } from './counter.js';

/**
 * What the counter and its customer display said in English (whole words, case as shown). "points" and
 * "Total" are left out: French writes them the same.
 */
export const ENGLISH = [
  'Sign in',
  'Sign out',
  'Cashier',
  'Online',
  'Pending',
  'Scanner connected',
  'Scan a card',
  'Manager',
  'Member since',
  'Card',
  'Phone',
  'Balance',
  'Confirmed by HQ',
  'pending',
  'Offline allowance',
  'Tier',
  'Perks',
  'Rewards',
  'Affordable',
  'more needed',
  'Recent transactions',
  'No transactions',
  'New sale',
  'Redeem',
  'Plans & actions',
  'Done',
  'Basket',
  'Remove',
  'Amount',
  'Category',
  'Add amount',
  'Points quote',
  'Confirm sale',
  'Cancel sale',
  'Sale recorded',
  'Slip',
  'Close slip',
  'Printed',
  'Reward redeemed',
  'Redeem points',
  'Back',
  'Cost',
  'Balance now',
  'Balance after',
  'Welcome',
  'Show your loyalty card',
  'Hello',
  'Your points',
  'Your purchase',
  'This purchase earns',
  'then',
  'to go for',
  'You can have',
  'ask at the counter',
  'Thank you',
  'You earned',
  'Enjoy your reward',
  'Counting your points',
  'Loyalty',
  // Enrolling a member.
  'Enroll new member',
  'Enroll member',
  'First name',
  'Last name',
  'Birth month',
  'Card number',
  'Referred by',
  'Enter the first name',
  'Enter the last name',
  'Keypad',
  'Phone keypad',
  'Member enrolled',
  // Plans & actions.
  'No paid plan',
  'Paid plans',
  'Sell',
  'Sell this plan?',
  'Record plan',
  'Award',
  'Award this action?',
  'Action awarded',
  'used in total',
  // The manager's screen.
  'Approved by',
  'Leave manager',
  'Sync queue',
  'Sync now',
  'Devices',
  'Connected',
  'Day close',
  'Run day close',
  'Day close matches HQ',
  'Shift summary',
  'Print summary',
  'Till total',
  'Adjust points',
  'Reason code',
  'Goodwill',
  'Points adjusted',
  'Void',
  'Void reason',
  'Void this transaction?',
  'Keep transaction',
  'Return items',
  'Recent sales',
  'Choose lines',
  'Lines of the sale',
  'Points back',
  'Return reason',
  'Return these items?',
  'Items returned',
  'taken back',
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so a phrase ("Award this action?") is found whole rather than as its first word ("Award").
const alternatives = [...ENGLISH].sort((a, b) => b.length - a.length).map(escape);
const englishWords = new RegExp(`(?<![\\p{L}])(${alternatives.join('|')})(?![\\p{L}])`, 'gu');
/** Money as the counter wrote it whatever the store's locale ("10.20 EUR"), where French writes "10,20 €". */
const oldMoney = /\d\.\d\d EUR/g;

/** Every name and label in the program HQ published: its words, not the counter's. */
export function programWords(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) programWords(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === 'label' || key === 'name') && typeof inner === 'string') into.push(inner);
      else programWords(inner, into);
    }
  }
  return into;
}

/** The counter's English words in `shown`, once HQ's own words (`hq`) are taken out. */
export function englishIn(shown: string, hq: readonly string[]): string[] {
  let left = shown;
  for (const words of [...hq].sort((a, b) => b.length - a.length)) left = left.split(words).join(' ');
  return [...left.matchAll(englishWords), ...left.matchAll(oldMoney)].map((match) => match[0]);
}

/**
 * The English left in what `page` shows now; `hqAlso`: more of HQ's words (a member enrolled, a plan's perks);
 * `leftOut`: the selectors whose text is not checked (default none: everything is checked).
 */
export async function englishOn(
  page: Page,
  c: Counter,
  hqAlso: readonly string[] = [],
  leftOut: readonly string[] = [],
): Promise<string[]> {
  const hq = [
    ...hqAlso,
    ...programWords(c.program),
    ...COUNTER_PRODUCTS.flatMap((p) => [p.name, p.sku, p.category]),
    ...c.members.map((m) => m.displayName),
    c.cashier.name,
    c.manager.name,
  ];
  let shown = await page.locator('body').innerText();
  for (const selector of leftOut) {
    for (const left of await page.locator(selector).allInnerTexts()) shown = shown.split(left).join(' ');
  }
  return englishIn(shown, hq);
}

/** Collects the "missing translation" lines of a page's console. */
export function missingTranslations(page: Page, into: string[]): void {
  page.on('console', (message) => {
    if (message.text().startsWith('missing translation')) into.push(message.text());
  });
}
