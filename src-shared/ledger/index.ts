// The ledger: event types, the member projection and its invariants, pending balances at the counter,
// the per-terminal hash chain, phone-number matching, HQ's check of a terminal's claims, the one void
// rule, the one return rule, and the earn on a card a till did not know.
export * from './member.js';
export * from './events.js';
export * from './apply-event.js';
export * from './pending.js';
export * from './chain.js';
export * from './phone.js';
export * from './claims.js';
export * from './voids.js';
export * from './returns.js';
export * from './card-earn.js';
