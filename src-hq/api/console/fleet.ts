// The console's fleet handlers (endpoints in src-shared/console/fleet.ts).
import type { fleetEndpoints } from '../../../src-shared/console/fleet.js';
import type { Handlers } from './call.js';

export const fleetHandlers: Handlers<typeof fleetEndpoints> = {};
