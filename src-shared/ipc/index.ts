export * from './terminal-api.js';
