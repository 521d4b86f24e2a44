export * from './clock.js';
export * from './result.js';
export * from './money.js';
export * from './ids.js';
export * from './hash.js';
export * from './zoned-time.js';
export * from './pin.js';
export * from './problems.js';
