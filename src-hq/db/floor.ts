// Who may talk to an embedded PGlite right now. PGlite is one backend: each of HQ's statements, or one
// transaction of them, and each socket session (an admin command sharing HQ's database, pglite-share.ts)
// from its first message until it is idle again, must have it alone, or one's statements would run inside
// the other's transaction. A first-come, first-served lock.

export class Floor {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  /** Callers waiting for the floor now (for tests and operations). */
  get waiting(): number {
    return this.queued;
  }

  /** Waits for the floor; resolves with the function that gives it back (call it once). */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = this.tail;
    this.tail = before.then(() => mine);
    this.queued += 1;
    return before.then(() => {
      this.queued -= 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    });
  }

  /** Runs `fn` holding the floor. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
