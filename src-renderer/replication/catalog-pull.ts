// The catalog (members, products, programs, cashiers) is read-only at the terminal, so it is pulled by a
// plain loop: pages until a page says the collection caught up, again on every reSync(). RxDB's replication
// protocol (per-document metadata, conflict handling) would double the writes of the initial replication
// for nothing. A failed page is retried (HQ failures wait in the gate, inside `page`).
import { BehaviorSubject, filter, firstValueFrom, type Observable, type Subscription } from 'rxjs';

/** What flush, the status and tools need of a collection's replication (RxDB's, or a CatalogPull). */
export interface CollectionReplication {
  /** True while pulling (or pushing). */
  readonly active$: Observable<boolean>;
  /** Pull again from the last checkpoint. */
  reSync(): void;
  /** Resolves once nothing is under way (the initial pull included). */
  awaitInSync(): Promise<unknown>;
  cancel(): Promise<unknown>;
}

export class CatalogPull implements CollectionReplication {
  private readonly activeState$ = new BehaviorSubject<boolean>(false);
  readonly active$ = this.activeState$.asObservable();
  private wanted = false;
  private running = false;
  private cancelled = false;
  private readonly subscription: Subscription;

  constructor(
    /** Pulls and stores one page; true when the collection caught up. */
    private readonly page: () => Promise<boolean>,
    private readonly onError: (error: unknown) => void,
    stream: Observable<'RESYNC'>,
  ) {
    this.subscription = stream.subscribe(() => this.reSync());
    this.reSync();
  }

  reSync(): void {
    if (this.cancelled) return;
    this.wanted = true;
    if (this.running) return;
    this.running = true;
    this.activeState$.next(true);
    void this.run();
  }

  private async run(): Promise<void> {
    while (this.wanted && !this.cancelled) {
      this.wanted = false;
      for (;;) {
        if (this.cancelled) break;
        try {
          if (await this.page()) break;
        } catch (error) {
          if (this.cancelled) break;
          this.onError(error);
          // The gate does the real waiting for HQ failures; this only spaces local failures.
          await new Promise((resolve) => globalThis.setTimeout(resolve, 5));
        }
      }
    }
    this.running = false;
    this.activeState$.next(false);
  }

  awaitInSync(): Promise<unknown> {
    if (this.cancelled) return Promise.resolve(false);
    return firstValueFrom(this.activeState$.pipe(filter((active) => !active)));
  }

  cancel(): Promise<unknown> {
    this.cancelled = true;
    this.subscription.unsubscribe();
    if (!this.running) return Promise.resolve();
    // Waits for the page under way to be stored, but not for a host that does not answer.
    return Promise.race([
      firstValueFrom(this.activeState$.pipe(filter((active) => !active))),
      new Promise((resolve) => globalThis.setTimeout(resolve, 2_000)),
    ]);
  }
}
