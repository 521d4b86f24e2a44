// Moved to src-renderer/startup/open-terminal.ts; kept so test/support/terminal.ts and the e2e harness
// (not this change's files) still import it. Remove once they import from src-renderer/startup.
export * from '../startup/open-terminal.js';
