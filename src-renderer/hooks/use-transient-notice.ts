// The counter's one message slot (a toast): what just happened — a sale recorded, a reward redeemed, a scan
// answered, a refusal — shows in one place, one at a time. A new message replaces the one before, so stale
// words never pile up; a confirmation or a notice clears itself after a few seconds, an error stays until the
// cashier dismisses it or the next message replaces it (it may need reading twice, and acting on).
// The board is pure and runs on injected Timers, so tests drive the clearing by hand; the provider puts one
// board under the whole counter. What describes a form or a screen's state (a field to fix, a suspended
// account) is not a toast: it stays next to what it is about.
import {
  createContext,
  createElement,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { systemTimers, type TimerHandle, type Timers } from '../../src-shared/kernel/timers.js';

export type ToastKind = 'success' | 'info' | 'error';

export interface Toast {
  kind: ToastKind;
  text: string;
  /** A new id per message, so the same words twice are shown (and announced) twice. */
  id: number;
}

/** How long a confirmation or a notice stays on screen. Errors have no limit. */
export const TOAST_MS = 5000;

export class ToastBoard {
  private shown: Toast | null = null;
  private ids = 0;
  private timer: TimerHandle | null = null;
  private readonly listeners = new Set<(toast: Toast | null) => void>();

  constructor(
    private readonly timers: Timers,
    private readonly ms = TOAST_MS,
  ) {}

  /** The message on screen, if any. */
  get current(): Toast | null {
    return this.shown;
  }

  /** Shows `text`, replacing whatever was shown; returns its id. */
  show(kind: ToastKind, text: string): number {
    this.stopTimer();
    const toast = { kind, text, id: ++this.ids };
    if (kind !== 'error') this.timer = this.timers.setTimeout(() => this.dismiss(toast.id), this.ms);
    this.set(toast);
    return toast.id;
  }

  /** Takes the message away: the one with `id` only (a later one stays), or whatever is shown. */
  dismiss(id?: number): void {
    if (!this.shown || (id !== undefined && this.shown.id !== id)) return;
    this.stopTimer();
    this.set(null);
  }

  /** Takes an error away (a confirmation or a notice is left to run out). */
  dismissError(): void {
    if (this.shown?.kind === 'error') this.dismiss(this.shown.id);
  }

  subscribe(listener: (toast: Toast | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(toast: Toast | null): void {
    this.shown = toast;
    for (const listener of this.listeners) listener(toast);
  }

  private stopTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

const BoardContext = createContext<ToastBoard | null>(null);

/** One board for everything under it; `board` is for tests (a board on ManualTimers). */
export function ToastProvider(props: { board?: ToastBoard; children: ReactNode }) {
  const board = useMemo(() => props.board ?? new ToastBoard(systemTimers), [props.board]);
  // Nothing of the last screen's message outlives the provider (a pending clear is dropped).
  useEffect(() => () => board.dismiss(), [board]);
  return createElement(BoardContext, { value: board }, props.children);
}

function useBoard(): ToastBoard {
  const board = useContext(BoardContext);
  if (!board) throw new Error('useToast() outside <ToastProvider>');
  return board;
}

export interface ToastActions {
  success(text: string): void;
  info(text: string): void;
  error(text: string): void;
  dismiss(): void;
  /** Takes a standing error away: the counter moved on from what it was about. */
  dismissError(): void;
}

/** Shows messages in the counter's one slot. */
export function useToast(): ToastActions {
  const board = useBoard();
  return useMemo(
    () => ({
      success: (text) => void board.show('success', text),
      info: (text) => void board.show('info', text),
      error: (text) => void board.show('error', text),
      dismiss: () => board.dismiss(),
      dismissError: () => board.dismissError(),
    }),
    [board],
  );
}

/** The message shown now, and how to dismiss it (for the one place that draws it). */
export function useShownToast(): { toast: Toast | null; dismiss: (id: number) => void } {
  const board = useBoard();
  const [toast, setToast] = useState<Toast | null>(board.current);
  useEffect(() => {
    setToast(board.current);
    return board.subscribe(setToast);
  }, [board]);
  return { toast, dismiss: (id) => board.dismiss(id) };
}
