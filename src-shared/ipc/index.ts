export * from './terminal-api.js';
export * from './contract.js';
export * from './scan-events.js';
export * from './hq-api.js';
export * from './customer-view.js';
export * from './lan-api.js';
