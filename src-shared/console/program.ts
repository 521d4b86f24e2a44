// The console's program endpoints (declared here once; HQ's handlers in src-hq/api/console/program.ts).
export const programEndpoints = {};
