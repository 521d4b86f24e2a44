// The day close: on demand and every night.
export * from './day-closer.js';
export * from './close-schedule.js';
