export * from './protocol.js';
export * from './wire.js';
