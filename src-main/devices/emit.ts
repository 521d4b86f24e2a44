// Emitting to listeners one by one: with EventEmitter.emit, a listener that throws stops every listener
// after it and unwinds into the serial data handler. Scans must reach every subscriber regardless.
import type { EventEmitter } from 'node:events';

/**
 * Calls each listener of `name` with `arg` in its own try/catch (once-listeners still remove themselves);
 * a throw is handed to `onError` and the next listener runs.
 */
export function emitIsolated(
  emitter: EventEmitter,
  name: string,
  arg: unknown,
  onError: (error: unknown) => void,
): void {
  for (const listener of emitter.rawListeners(name)) {
    try {
      (listener as (value: unknown) => void).call(emitter, arg);
    } catch (error) {
      onError(error);
    }
  }
}
