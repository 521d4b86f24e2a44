// The customer-facing display's value in main: the latest customer view the cashier's renderer set
// (TerminalApi.setCustomerView, validated by the host API), handed to whoever listens — the customer
// window under Electron (customer-window.ts), the customer page's socket in the browser host. A listener
// hears the latest view at once when it subscribes, so a customer window that opens or reconnects later
// shows what the counter shows now, not a blank screen until the next basket change.
import { IDLE_CUSTOMER_VIEW, type CustomerView } from '../../src-shared/ipc/index.js';

export class CustomerViewRelay {
  private latest: CustomerView | null = null;
  private readonly listeners = new Set<(view: CustomerView) => void>();

  /**
   * `storeLocale`: the store's locale as main knows it (its store settings), for the welcome shown before the
   * cashier's screen has set a view — so a French store's customer window never opens on English.
   */
  constructor(private readonly storeLocale: () => string | null = () => null) {}

  /** The view the customer sees now (the idle welcome, in the store's language, until the cashier sets one). */
  current(): CustomerView {
    return this.latest ?? { ...IDLE_CUSTOMER_VIEW, locale: this.storeLocale() ?? IDLE_CUSTOMER_VIEW.locale };
  }

  /** Keeps `view` as the latest and hands it to every listener (one that throws does not stop the rest). */
  set(view: CustomerView): void {
    this.latest = view;
    for (const listener of [...this.listeners]) hear(listener, view);
  }

  /** Hears the latest view now, then every new one; returns the unsubscribe. */
  onView(listener: (view: CustomerView) => void): () => void {
    this.listeners.add(listener);
    hear(listener, this.current());
    return () => void this.listeners.delete(listener);
  }
}

/** A transport's own failure (a closed socket) is its business; the other listeners still hear the view. */
function hear(listener: (view: CustomerView) => void, view: CustomerView): void {
  try {
    listener(view);
  } catch {
    // Dropped on purpose: see above.
  }
}
