// The dashboard area's pages.
import type { ConsolePage } from '../../page.js';

export const dashboardPages: ConsolePage[] = [];
