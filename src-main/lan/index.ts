export * from './lan-config.js';
export * from './lan-peers.js';
export * from './lan-server.js';
export * from './lan-wire.js';
export * from './rate-window.js';
export * from './signed-log.js';
export * from './lan-seal.js';
