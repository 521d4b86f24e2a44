// The engagement area's pages.
import type { ConsolePage } from '../../page.js';

export const engagementPages: ConsolePage[] = [];
