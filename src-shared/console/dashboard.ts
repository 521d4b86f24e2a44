// The console's dashboard endpoints (declared here once; HQ's handlers in src-hq/api/console/dashboard.ts).
export const dashboardEndpoints = {};
