// The console's engagement handlers (endpoints in src-shared/console/engagement.ts).
import type { engagementEndpoints } from '../../../src-shared/console/engagement.js';
import type { Handlers } from './call.js';

export const engagementHandlers: Handlers<typeof engagementEndpoints> = {};
