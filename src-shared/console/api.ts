// The whole console API: every area's endpoints in one table. HQ registers exactly this table (a handler
// for each key, checked by the compiler), the console calls it, and docs/hq-api.md is checked against it.
import { authEndpoints } from './auth.js';
import { dashboardEndpoints } from './dashboard.js';
import { engagementEndpoints } from './engagement.js';
import { fleetEndpoints } from './fleet.js';
import { membersEndpoints } from './members.js';
import { programEndpoints } from './program.js';
import { reviewsEndpoints } from './reviews.js';

export const CONSOLE_API = {
  ...authEndpoints,
  ...dashboardEndpoints,
  ...reviewsEndpoints,
  ...membersEndpoints,
  ...engagementEndpoints,
  ...programEndpoints,
  ...fleetEndpoints,
};
export type ConsoleApi = typeof CONSOLE_API;
