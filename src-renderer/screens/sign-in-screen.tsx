// Who is at the counter: every event names its cashier. The staff list comes from HQ with the replica;
// main checks the PIN against the hashes it keeps itself, so signing in works offline.
import { ScreenLayout } from '../components/screen-layout.js';
import { StaffPinForm } from '../components/staff-pin-form.js';
import { useCashiers } from '../hooks/use-cashiers.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useCounterText } from '../i18n/index.js';

export function SignInScreen() {
  const staff = useCashiers();
  const { signIn } = useSession();
  const toast = useToast();
  const t = useCounterText();
  useScanHandler(() => toast.info(t('signIn.scanFirst')));
  return (
    <ScreenLayout name="sign-in screen-medium" header={<h1>{t('signIn.title')}</h1>}>
      {staff.length === 0 ? <p className="hint">{t('signIn.noStaff')}</p> : null}
      <StaffPinForm
        staff={staff}
        personLabel={t('signIn.cashier')}
        purpose="sign-in"
        pinLabel={t('signIn.pin')}
        submitLabel={t('signIn.submit')}
        onSuccess={signIn}
      />
    </ScreenLayout>
  );
}
