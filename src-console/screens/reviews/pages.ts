// The reviews area's pages.
import type { ConsolePage } from '../../page.js';

export const reviewsPages: ConsolePage[] = [];
