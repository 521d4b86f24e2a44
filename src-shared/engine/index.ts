// The rules engine: earn quotes with their explanation, redemption checks, tiers, expiry, action limits,
// paid plans and the offline policy. Pure functions of a program, a member and an injected instant.
export * from './basket.js';
export * from './conditions.js';
export * from './quote.js';
export * from './redemption.js';
export * from './offline.js';
export * from './offline-bound.js';
export * from './store-bound.js';
export * from './expiry.js';
export * from './actions.js';
export * from './plans.js';
export * from './tiers.js';
export * from './allowance.js';
