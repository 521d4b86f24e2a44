// "Are you sure?" before what cannot be taken back (a redemption, a void, a basket thrown away). A native
// modal <dialog>: focus moves into it (to the confirming button) and stays there, the screen behind is
// inert, Esc cancels and Enter confirms; on closing, focus goes back to where it was. Scans wait while it
// is open, so nothing behind it changes under the cashier's eyes.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useScanHandler } from '../hooks/use-scans.js';
import { useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';

export interface ConfirmDialogProps {
  /** The question, also the dialog's accessible name: "Redeem this reward?". */
  title: string;
  /** What exactly will happen (a <dl> of facts, a sentence). */
  children: ReactNode;
  /** The confirming button's words: "Redeem", "Void transaction". */
  confirmLabel: string;
  /** The cancelling button's words (default "Cancel"). */
  cancelLabel?: string;
  /** 'danger' for what throws something away. */
  variant?: 'primary' | 'danger';
  /** While the confirmed action runs: both buttons wait. */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const t = useCounterText();
  useScanHandler(() => undefined);

  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    // Focus on the confirming button, so Enter (or a tap) confirms and a screen reader starts there.
    dialog?.querySelector<HTMLButtonElement>('.dialog-actions button')?.focus();
    return () => {
      dialog?.close();
      if (before?.isConnected) before.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog dialog-confirm"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        // Esc: the dialog's owner decides (it unmounts it); never closed behind React's back.
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div id={bodyId} className="dialog-body">
        {props.children}
      </div>
      <div className="actions dialog-actions">
        <ActionButton
          hotkey="Enter"
          variant={props.variant ?? 'primary'}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </ActionButton>
        <ActionButton hotkey="Escape" disabled={props.busy} onClick={props.onCancel}>
          {props.cancelLabel ?? t('common.cancel')}
        </ActionButton>
      </div>
    </dialog>
  );
}
