// The Timers interface is the kernel's (src-shared/kernel/timers.ts); kept so test/support/terminal.ts
// (not this change's file) still imports it. Remove once it imports from the kernel.
export type { TimerHandle, Timers } from '../../src-shared/kernel/timers.js';
