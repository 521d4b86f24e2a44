// The program area's pages.
import type { ConsolePage } from '../../page.js';

export const programPages: ConsolePage[] = [];
