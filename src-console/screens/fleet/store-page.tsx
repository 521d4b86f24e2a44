// One store: its terminals (status, what HQ holds from each, the last day close; enrollment codes and
// revocation), its cashiers (add, disable, reset PIN) and its counter settings. Writes show only to the
// roles that may make them (the admin and the store's managers); HQ checks again.
import { fleetEndpoints } from '../../../src-shared/console/fleet.js';
import { formatNumber } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { ErrorMessage, Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';
import { CashiersSection } from './cashiers-section.js';
import { SettingsCard } from './settings-card.js';
import { TerminalsSection } from './terminals-section.js';

export function StorePage({ params, user }: PageProps) {
  const storeId = params.id ?? '';
  const store = useConsoleQuery(fleetEndpoints.getStore, { params: { storeId } }, [storeId]);
  // A refusal (another manager's store, no such store) still gets the page's heading and a way back.
  if (store.error && !store.loading)
    return (
      <>
        <PageHeader title="Store" description={<Link to="stores">All stores</Link>} />
        <ErrorMessage error={store.error} onRetry={store.reload} />
      </>
    );
  return (
    <Loaded query={store}>
      {({ store: s, settings }) => (
        <>
          <PageHeader
            title={s.name}
            description={
              <>
                <code>{s.id}</code> · {s.country} · {s.timeZone} · {formatNumber(s.members)} members enrolled
                here · <Link to="stores">All stores</Link>
              </>
            }
          />
          <TerminalsSection storeId={s.id} user={user} />
          <CashiersSection storeId={s.id} user={user} />
          <SettingsCard
            key={JSON.stringify(settings)}
            storeId={s.id}
            settings={settings}
            user={user}
            onSaved={store.reload}
          />
        </>
      )}
    </Loaded>
  );
}
