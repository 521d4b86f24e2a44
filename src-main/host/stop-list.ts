// What a host started, stopped in reverse order, once: the terminal host (compose.ts), `npm start` and the
// end-to-end harness each keep one. A stop that fails does not keep the others from running; the failures
// come back in words, for the caller to report as it reports things.

export interface Stop {
  /** What it stops, for the failure's words: "the devices". */
  what: string;
  stop: () => unknown;
}

export class StopList {
  private readonly stops: Stop[] = [];
  private stopping: Promise<string[]> | null = null;

  push(stop: Stop): void {
    this.stops.push(stop);
  }

  /** Whether stopAll() was called. */
  get stopped(): boolean {
    return this.stopping !== null;
  }

  /** Stops everything in reverse order; later calls get the same promise. Resolves with `what: why` per failure. */
  stopAll(): Promise<string[]> {
    this.stopping ??= (async () => {
      const failures: string[] = [];
      for (const { what, stop } of this.stops.reverse()) {
        try {
          await stop();
        } catch (error) {
          failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return failures;
    })();
    return this.stopping;
  }
}
