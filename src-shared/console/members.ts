// The console's members endpoints (declared here once; HQ's handlers in src-hq/api/console/members.ts).
export const membersEndpoints = {};
