// The devices' reconnect schedule. Timers and the backoff formula are the kernel's (one of each for the
// whole terminal); a serial device starts again at 250 ms after an unplug, doubling to 5 s.
import type { Backoff } from '../../src-shared/kernel/backoff.js';

export { backoffDelay, type Backoff } from '../../src-shared/kernel/backoff.js';
export { systemTimers, type TimerHandle, type Timers } from '../../src-shared/kernel/timers.js';

export const defaultBackoff: Backoff = { initialMs: 250, maxMs: 5000, factor: 2 };
