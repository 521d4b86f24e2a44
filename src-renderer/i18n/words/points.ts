// The words of a number of points ("1 point", "1,240 points"): English, and French with exactly its keys.
// The number comes formatted ({{formatted}}, hooks/format.ts's one style); {{count}} picks the plural.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  count_one: '{{formatted}} point',
  count_other: '{{formatted}} points',
};

const fr: Translation<typeof en> = {
  ...frenchPlural('count', '{{formatted}} point', '{{formatted}} points'),
};

export const pointsWords = { en, fr };
