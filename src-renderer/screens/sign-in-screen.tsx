// Who is at the counter: every event names its cashier. The staff list comes from HQ with the replica;
// main checks the PIN against the hashes it keeps itself, so signing in works offline.
import { ScreenLayout } from '../components/screen-layout.js';
import { StaffPinForm } from '../components/staff-pin-form.js';
import { useCashiers } from '../hooks/use-cashiers.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useToast } from '../hooks/use-transient-notice.js';

export function SignInScreen() {
  const staff = useCashiers();
  const { signIn } = useSession();
  const toast = useToast();
  useScanHandler(() => toast.info('Sign in first, then scan.'));
  return (
    <ScreenLayout name="sign-in screen-medium" header={<h1>Sign in</h1>}>
      {staff.length === 0 ? <p className="hint">No staff for this store has arrived from HQ yet.</p> : null}
      <StaffPinForm
        staff={staff}
        personLabel="Cashier"
        purpose="sign-in"
        pinLabel="PIN"
        submitLabel="Sign in"
        onSuccess={signIn}
      />
    </ScreenLayout>
  );
}
