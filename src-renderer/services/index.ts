// The counter services: what the cashier UI calls, and the types it shows.
export * from './terminal-services.js';
export * from './counter-types.js';
export * from './context.js';
export type { MemberRead } from './shown-members.js';
export type { Staff } from './staff.js';
export type { VoidCandidate } from './voids.js';
export type { ReturnCandidate, ReturnCandidateLine, ReturnInput } from './returns.js';
export { previewReturn } from './returns.js';
export { usedOfflinePoints } from './offline-allowance.js';
export { categoriesOf } from './categories.js';
export type { Product } from '../db/catalog.js';
