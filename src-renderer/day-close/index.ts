// The day close: on demand and every night, waiting for HQ when it cannot be reached; and the manager's
// shift summary of a store day.
export * from './day-closer.js';
export * from './close-schedule.js';
export * from './shift-summaries.js';
