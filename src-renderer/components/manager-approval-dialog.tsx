// A manager's PIN over the current screen: needed to redeem above the offline allowance, and to enter the
// manager screen (adjust, void, day close). A native modal <dialog>: it keeps focus inside, makes the
// screen behind it inert and closes on Escape.
import { useEffect, useRef } from 'react';
import { useCashiers } from '../hooks/use-cashiers.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession, type SignedIn } from '../hooks/use-session.js';
import { useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';
import { StaffPinForm } from './staff-pin-form.js';

export interface ManagerApprovalDialogProps {
  /** What the manager approves, in words: "Redeem 5.00 EUR off (200 points above the offline limit)". */
  purpose: string;
  onApproved: (manager: SignedIn) => void;
  onCancel: () => void;
}

export function ManagerApprovalDialog(props: ManagerApprovalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const managers = useCashiers().filter((s) => s.role === 'manager');
  const { cashier } = useSession();
  const t = useCounterText();
  // Scans wait while the dialog is open: nothing behind it should change under the manager's eyes.
  useScanHandler(() => undefined);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const initialId = cashier?.role === 'manager' ? cashier.id : undefined;
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-label={t('signIn.managerApproval.title')}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2>{t('signIn.managerApproval.title')}</h2>
      <p className="dialog-purpose">{props.purpose}</p>
      {managers.length === 0 ? <p className="hint">{t('signIn.managerApproval.noManager')}</p> : null}
      <StaffPinForm
        staff={managers}
        personLabel={t('signIn.managerApproval.manager')}
        purpose="manager"
        pinLabel={t('signIn.managerApproval.pin')}
        submitLabel={t('signIn.managerApproval.approve')}
        {...(initialId ? { initialId } : {})}
        autoFocus
        onSuccess={props.onApproved}
        extra={
          <ActionButton hotkey="Escape" onClick={props.onCancel}>
            {t('common.cancel')}
          </ActionButton>
        }
      />
    </dialog>
  );
}
