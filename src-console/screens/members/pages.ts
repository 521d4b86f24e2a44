// The members area's pages.
import type { ConsolePage } from '../../page.js';

export const membersPages: ConsolePage[] = [];
