export * from './terminal-api.js';
export * from './scan-events.js';
