// The console's dashboard handlers (endpoints in src-shared/console/dashboard.ts).
import type { dashboardEndpoints } from '../../../src-shared/console/dashboard.js';
import type { Handlers } from './call.js';

export const dashboardHandlers: Handlers<typeof dashboardEndpoints> = {};
