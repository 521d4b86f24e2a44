// The engagement area's pages: the re-engagement segments (who runs the program, and store managers for
// their stores) and the messaging tool's webhook (admin).
import { ENGAGEMENT_ROLES } from '../../../src-shared/console/engagement.js';
import type { ConsolePage } from '../../page.js';
import { EngagementPage } from './engagement-page.js';
import { WebhookPage } from './webhook-page.js';

export const engagementPages: ConsolePage[] = [
  {
    path: 'engagement',
    title: 'Re-engagement',
    nav: true,
    roles: ENGAGEMENT_ROLES,
    component: EngagementPage,
  },
  {
    path: 'engagement/webhook',
    title: 'Messaging tool',
    nav: true,
    roles: ['admin'],
    component: WebhookPage,
  },
];
