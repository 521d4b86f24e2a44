// The dashboard area's pages: the dashboard (the console's home) and the program's ROI. The read roles and
// store managers (HQ scopes a store manager's figures to their stores).
import { DASHBOARD_ROLES } from '../../../src-shared/console/dashboard.js';
import type { ConsolePage } from '../../page.js';
import { DashboardPage } from './dashboard-page.js';
import { RoiPage } from './roi-page.js';

export const dashboardPages: ConsolePage[] = [
  { path: '', title: 'Dashboard', nav: true, roles: DASHBOARD_ROLES, component: DashboardPage },
  { path: 'roi', title: 'Program ROI', nav: true, roles: DASHBOARD_ROLES, component: RoiPage },
];
