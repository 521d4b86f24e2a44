// The console's engagement endpoints (declared here once; HQ's handlers in src-hq/api/console/engagement.ts).
export const engagementEndpoints = {};
