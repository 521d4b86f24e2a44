// The console's reviews handlers (endpoints in src-shared/console/reviews.ts).
import type { reviewsEndpoints } from '../../../src-shared/console/reviews.js';
import type { Handlers } from './call.js';

export const reviewsHandlers: Handlers<typeof reviewsEndpoints> = {};
