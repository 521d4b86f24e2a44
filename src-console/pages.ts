// Every page of the console, area by area, in the navigation's order.
import type { ConsolePage } from './page.js';
import { dashboardPages } from './screens/dashboard/pages.js';
import { engagementPages } from './screens/engagement/pages.js';
import { fleetPages } from './screens/fleet/pages.js';
import { membersPages } from './screens/members/pages.js';
import { programPages } from './screens/program/pages.js';
import { reviewsPages } from './screens/reviews/pages.js';
import { usersPages } from './screens/users/pages.js';

export const AREA_PAGES: readonly ConsolePage[] = [
  ...dashboardPages,
  ...reviewsPages,
  ...membersPages,
  ...engagementPages,
  ...programPages,
  ...fleetPages,
  ...usersPages,
];
