// The console's fleet endpoints (declared here once; HQ's handlers in src-hq/api/console/fleet.ts).
export const fleetEndpoints = {};
