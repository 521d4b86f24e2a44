// Messages for the cashier. Errors and refusals are alerts (announced at once, and found by role="alert");
// confirmations are status messages (announced politely). Both say what happened in counter words.
// ToastView draws the counter's one message slot (hooks/use-transient-notice.ts): one message at a time.
import type { ReactNode } from 'react';
import type { Toast } from '../hooks/use-transient-notice.js';
import { useCounterText } from '../i18n/index.js';

export function ErrorMessage(props: { children: ReactNode; id?: string }) {
  return (
    <div className="message message-error" role="alert" id={props.id}>
      {props.children}
    </div>
  );
}

export function SuccessMessage(props: { children: ReactNode }) {
  return (
    <div className="message message-success" role="status">
      {props.children}
    </div>
  );
}

/**
 * The message shown in the counter's one slot, or nothing. Keyed by the message's id: a new message is a new
 * element, so the same words twice are announced twice. An error carries its Dismiss button (it does not
 * clear itself); a confirmation or a notice goes by itself.
 */
export function ToastView(props: { toast: Toast | null; onDismiss: (id: number) => void }) {
  const { toast, onDismiss } = props;
  const t = useCounterText();
  if (!toast) return null;
  const text = <span className="toast-text">{toast.text}</span>;
  return (
    <div className="toast" key={toast.id} data-kind={toast.kind}>
      {toast.kind === 'error' ? (
        <ErrorMessage>
          {text}
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => onDismiss(toast.id)}
          >
            {t('common.dismiss')}
          </button>
        </ErrorMessage>
      ) : toast.kind === 'success' ? (
        <SuccessMessage>{text}</SuccessMessage>
      ) : (
        <div className="message message-info" role="status">
          {text}
        </div>
      )}
    </div>
  );
}
