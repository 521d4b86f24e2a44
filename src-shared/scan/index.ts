// Scanner and card-reader frame classification (docs/architecture.md section 7): pure, shared by the device process,
// which classifies serial frames, and the renderer, which classifies keyboard-wedge input.
export * from './aim.js';
export * from './card-patterns.js';
export * from './check-digits.js';
export * from './classify.js';
export * from './gs1.js';
export * from './magstripe.js';
export * from './nfc.js';
export * from './payment-guard.js';
export * from './result.js';
