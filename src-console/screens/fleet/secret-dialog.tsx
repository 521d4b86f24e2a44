// A secret HQ answers once (an enrollment code, a PIN it made): shown in a modal until closed, then gone.
// It lives only in the caller's state; the console never stores it and HQ never answers it again.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function SecretDialog({
  title,
  label,
  secret,
  children,
  onClose,
}: {
  title: string;
  /** What the secret is, read before it ("Enrollment code"). */
  label: string;
  /** null: the dialog is closed. */
  secret: string | null;
  children?: ReactNode;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const open = secret !== null;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          <div className="dialog-body">
            <p className="figure-label">{label}</p>
            <p className="figure-value">
              <code data-testid="secret">{secret}</code>
            </p>
            {children}
            <p className="field-hint">Shown this once: HQ keeps only a hash of it.</p>
          </div>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
