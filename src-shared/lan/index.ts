export * from './credential.js';
export * from './keys.js';
export * from './peer-log.js';
export * from './peer-proof.js';
export * from './signature.js';
