export * from './schema.js';
export * from './parse.js';
export * from './current.js';
