// The counter's one message slot (src-renderer/hooks/use-transient-notice.ts, components/messages.tsx): a new
// message replaces the one shown, so three in a row leave one on screen, the newest; a confirmation or a
// notice clears itself after TOAST_MS on the injected Timers (a ManualClock moves, nobody waits); an error
// stays until dismissed or replaced; a replaced message's timer cannot clear its successor.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import { ToastView } from '../../../src-renderer/components/messages.js';
import {
  TOAST_MS,
  ToastBoard,
  ToastProvider,
  useShownToast,
  type Toast,
} from '../../../src-renderer/hooks/use-transient-notice.js';
import { textOf } from '../../support/render-text.js';

const text = textOf;

function board() {
  const clock = new ManualClock(0);
  const timers = new ManualTimers(clock);
  const later = (ms: number) => {
    clock.advance(ms);
    timers.fireDue();
  };
  return { toasts: new ToastBoard(timers), timers, later };
}

/** What the counter draws: the slot under the provider, as app.tsx draws it. */
function Slot() {
  const { toast, dismiss } = useShownToast();
  return <ToastView toast={toast} onDismiss={dismiss} />;
}

const drawn = (toasts: ToastBoard) =>
  renderToStaticMarkup(
    <ToastProvider board={toasts}>
      <Slot />
    </ToastProvider>,
  );

/** The messages in the markup: every element with a live-region role. */
const messages = (html: string) => html.match(/role="(alert|status)"/g) ?? [];

describe('the counter message slot', () => {
  it('leaves exactly one message on screen after three in a row: the newest', () => {
    const { toasts } = board();
    toasts.show('success', 'Sale recorded: 12 points');
    toasts.show('error', 'Product 5394120000008 is not in the catalog.');
    toasts.show('info', 'Not a card or product this till knows: HELLO');
    const html = drawn(toasts);
    expect(messages(html)).toHaveLength(1);
    expect(text(html)).toBe('Not a card or product this till knows: HELLO');
    expect(html).not.toContain('Sale recorded');
    expect(html).not.toContain('not in the catalog');
  });

  it('clears a confirmation or a notice after a few seconds, on the injected timers', () => {
    const { toasts, timers, later } = board();
    toasts.show('success', 'Reward redeemed: Free coffee');
    expect(timers.pendingDelays()).toEqual([TOAST_MS]);
    later(TOAST_MS - 1);
    expect(toasts.current?.text).toBe('Reward redeemed: Free coffee');
    later(1);
    expect(toasts.current).toBeNull();
    expect(messages(drawn(toasts))).toHaveLength(0);

    toasts.show('info', 'Sign in first, then scan.');
    later(TOAST_MS);
    expect(toasts.current).toBeNull();
  });

  it('keeps an error until it is dismissed or replaced', () => {
    const { toasts, timers, later } = board();
    const id = toasts.show('error', 'The sale was not recorded: offline bound reached');
    expect(timers.size).toBe(0);
    later(10 * TOAST_MS);
    expect(toasts.current?.kind).toBe('error');
    const html = drawn(toasts);
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain('Dismiss');
    toasts.dismiss(id);
    expect(toasts.current).toBeNull();

    toasts.show('error', 'A payment card was swiped: refused, nothing kept.');
    toasts.show('success', 'Sale recorded: 3 points');
    expect(toasts.current?.text).toBe('Sale recorded: 3 points');
  });

  it("does not let a replaced message's timer clear the one that replaced it", () => {
    const { toasts, timers, later } = board();
    toasts.show('info', 'first');
    later(3000);
    toasts.show('info', 'second');
    expect(timers.size).toBe(1); // the first one's timer was cancelled
    later(TOAST_MS - 3000);
    expect(toasts.current?.text).toBe('second');
    later(3000);
    expect(toasts.current).toBeNull();
    // An error replacing a notice is not cleared by the notice's timer either.
    toasts.show('info', 'third');
    toasts.show('error', 'fourth');
    later(TOAST_MS);
    expect(toasts.current?.text).toBe('fourth');
  });

  it('dismisses only the message it was asked to, and dismissError leaves confirmations', () => {
    const { toasts } = board();
    const old = toasts.show('error', 'old');
    toasts.show('error', 'new');
    toasts.dismiss(old);
    expect(toasts.current?.text).toBe('new');
    toasts.dismissError();
    expect(toasts.current).toBeNull();
    toasts.show('success', 'Member enrolled: Dana R.');
    toasts.dismissError();
    expect(toasts.current?.text).toBe('Member enrolled: Dana R.');
  });

  it('tells its listeners each change, and gives each message a new id', () => {
    const { toasts, later } = board();
    const seen: (Toast | null)[] = [];
    const stop = toasts.subscribe((t) => seen.push(t));
    toasts.show('success', 'same words');
    toasts.show('success', 'same words');
    later(TOAST_MS);
    stop();
    toasts.show('info', 'after');
    expect(seen.map((t) => t?.text ?? null)).toEqual(['same words', 'same words', null]);
    expect(seen[0]?.id).not.toBe(seen[1]?.id);
  });

  it('draws a confirmation as a status, a notice as a status, an error as an alert with Dismiss', () => {
    const view = (toast: Toast) => renderToStaticMarkup(<ToastView toast={toast} onDismiss={() => {}} />);
    const success = view({ kind: 'success', text: 'Sale recorded: 12 points', id: 1 });
    expect(success).toContain('role="status"');
    expect(success).toContain('message-success');
    expect(success).not.toContain('Dismiss');
    const info = view({ kind: 'info', text: 'Scans are ignored', id: 2 });
    expect(info).toContain('role="status"');
    expect(info).toContain('message-info');
    const error = view({ kind: 'error', text: 'Not enough points', id: 3 });
    expect(error).toContain('role="alert"');
    expect(error).toMatch(/<button[^>]*>Dismiss<\/button>/);
    expect(renderToStaticMarkup(<ToastView toast={null} onDismiss={() => {}} />)).toBe('');
  });
});
