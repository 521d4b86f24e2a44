// The reviews area's pages: the queue and one item (everyone reads; HQ scopes store managers).
import { REVIEW_READERS } from '../../../src-shared/console/reviews.js';
import type { ConsolePage } from '../../page.js';
import { ReviewPage } from './review-page.js';
import { ReviewQueuePage } from './queue-page.js';

export const reviewsPages: ConsolePage[] = [
  { path: 'reviews', title: 'Review queue', nav: true, roles: REVIEW_READERS, component: ReviewQueuePage },
  { path: 'reviews/:id', title: 'Review item', nav: false, roles: REVIEW_READERS, component: ReviewPage },
];
