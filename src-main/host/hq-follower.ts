// Something main keeps from HQ and refreshes when HQ says it changed: the current program's card patterns
// (card-pattern-follower.ts), the staff's PIN hashes (staff-pins.ts). It refreshes once at start, then on
// every `changed` message naming its collection and on RESYNC. One fetch at a time: a call during one makes
// one more after it (so a change announced mid-fetch is not missed), and resolves when that one is done.
import type { HqStreamMessage } from '../../src-shared/ipc/index.js';
import type { CollectionName } from '../../src-shared/sync/wire.js';

export interface HqStreamSource {
  onHqStream(listener: (message: HqStreamMessage) => void): () => void;
}

export class HqFollower {
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  /** `fetchOnce` must never reject: an HQ out of reach leaves the last known state in place. */
  constructor(
    private readonly link: HqStreamSource,
    /** null: no collection's change concerns it (start and RESYNC only). */
    private readonly collection: CollectionName | null,
    private readonly fetchOnce: () => Promise<void>,
  ) {}

  /** Follows HQ's stream and refreshes once now; idempotent. */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.link.onHqStream((message) => {
      if (
        message.type === 'RESYNC' ||
        (message.type === 'changed' &&
          this.collection !== null &&
          message.collections.includes(this.collection))
      )
        void this.refresh();
    });
    void this.refresh();
  }

  /** Stops following; resolves once a fetch under way has ended. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.again = false;
    await this.running;
  }

  /** Fetches now (or once more after the fetch under way); never rejects. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        await this.fetchOnce();
      } while (this.again);
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
