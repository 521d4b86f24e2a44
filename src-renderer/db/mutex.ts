// A FIFO lock for the renderer's async work: RxDB has no multi-document transactions, so recordings, pushes
// and the close's writes are serialised in-process instead.

/** Runs one async task at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
