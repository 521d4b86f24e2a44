// The words of the points quote's explanation (the detail beside each rule's label, written from the
// quote's terms, src-shared/engine/explanation.ts): English, and French with exactly its keys. Points and
// item counts come formatted ({{formatted}}), money and factors in the store's locale; the rule labels
// are HQ's words and stay as HQ wrote them, but the referral welcome is the engine's own line, so it is
// worded here.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  perAmount_one: '{{formatted}} pt per {{per}} on {{amount}}',
  perAmount_other: '{{formatted}} pts per {{per}} on {{amount}}',
  perItem_one: '{{formatted}} pt per item on {{items}}',
  perItem_other: '{{formatted}} pts per item on {{items}}',
  items_one: '{{formatted}} item',
  items_other: '{{formatted}} items',
  multiplier: '{{factor}} on {{on}}',
  // What a multiplier covers when it covers both spend and units: "32.10 EUR and 2 items".
  both: '{{amount}} and {{items}}',
  bonus: '+{{points}}',
  threshold: '+{{points}} for {{items}} or more',
  referralLabel: 'Referral welcome',
};

const fr: Translation<typeof en> = {
  ...frenchPlural(
    'perAmount',
    '{{formatted}} pt par {{per}} sur {{amount}}',
    '{{formatted}} pts par {{per}} sur {{amount}}',
  ),
  ...frenchPlural(
    'perItem',
    '{{formatted}} pt par article sur {{items}}',
    '{{formatted}} pts par article sur {{items}}',
  ),
  ...frenchPlural('items', '{{formatted}} article', '{{formatted}} articles'),
  multiplier: '{{factor}} sur {{on}}',
  both: '{{amount}} et {{items}}',
  bonus: '+{{points}}',
  threshold: '+{{points}} à partir de {{items}}',
  referralLabel: 'Bienvenue du parrainage',
};

export const quoteWords = { en, fr };
