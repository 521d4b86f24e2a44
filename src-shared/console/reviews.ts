// The console's reviews endpoints (declared here once; HQ's handlers in src-hq/api/console/reviews.ts).
export const reviewsEndpoints = {};
