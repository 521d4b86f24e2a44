// The fleet area's pages.
import type { ConsolePage } from '../../page.js';

export const fleetPages: ConsolePage[] = [];
