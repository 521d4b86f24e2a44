// The stores the user may see (a store manager: their own), with how many terminals, members and cashiers
// each has; each opens to its own page. An administrator adds stores here.
import { useState, type FormEvent } from 'react';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import { fleetEndpoints, type FleetStore } from '../../../src-shared/console/fleet.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { TextField } from '../../components/field.js';
import { formatNumber } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';

const COLUMNS: readonly Column<FleetStore>[] = [
  {
    header: 'Store',
    rowHeader: true,
    cell: (s) => <Link to={`stores/${encodeURIComponent(s.id)}`}>{s.name}</Link>,
  },
  { header: 'Id', cell: (s) => <code>{s.id}</code> },
  { header: 'Country', cell: (s) => s.country },
  { header: 'Time zone', cell: (s) => s.timeZone },
  { header: 'Terminals', align: 'end', cell: (s) => formatNumber(s.terminals) },
  { header: 'Cashiers', align: 'end', cell: (s) => formatNumber(s.cashiers) },
  { header: 'Members enrolled', align: 'end', cell: (s) => formatNumber(s.members) },
];

export function StoresPage(page: PageProps) {
  const { user } = page;
  const stores = useConsoleQuery(fleetEndpoints.listStores, {}, []);
  return (
    <>
      <PageHeader
        title="Stores"
        description={
          user.role === 'store-manager'
            ? 'The stores you manage: their tills, cashiers and counter settings.'
            : 'Every store of the chain: their tills, cashiers and counter settings.'
        }
      />
      <Loaded query={stores}>
        {({ stores: rows }) => (
          <DataTable
            caption="Stores"
            captionHidden
            columns={COLUMNS}
            rows={rows}
            rowKey={(s) => s.id}
            empty={user.role === 'store-manager' ? 'You manage no store yet.' : 'No stores yet.'}
          />
        )}
      </Loaded>
      {roleMayCall(fleetEndpoints.createStore, user.role) && (
        <NewStoreCard onAdded={(id) => page.navigate(`stores/${encodeURIComponent(id)}`)} />
      )}
    </>
  );
}

function NewStoreCard({ onAdded }: { onAdded: (id: string) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState('Europe/Dublin');
  const [country, setCountry] = useState('');
  const write = useConsoleWrite();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const made = await write.run(fleetEndpoints.createStore, {
      body: {
        id: id.trim(),
        name: name.trim(),
        timeZone: timeZone.trim(),
        ...(country.trim() ? { country: country.trim().toUpperCase() } : {}),
      },
    });
    if (made) onAdded(made.id);
  };
  return (
    <section className="card" aria-labelledby="new-store-title">
      <h2 id="new-store-title">Add a store</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {write.error && (
          <p className="form-error" role="alert">
            {write.error}
          </p>
        )}
        <TextField
          label="Store id"
          value={id}
          onChange={setId}
          hint="Letters, digits, dots, dashes: e.g. dublin-3"
          error={write.problems.id}
          required
        />
        <TextField label="Name" value={name} onChange={setName} error={write.problems.name} required />
        <TextField
          label="Time zone"
          value={timeZone}
          onChange={setTimeZone}
          hint="IANA, e.g. Europe/Paris: it decides the store's business day"
          error={write.problems.timeZone}
          required
        />
        <TextField
          label="Country"
          value={country}
          onChange={setCountry}
          hint="Two letters, e.g. IE: phone numbers typed without a prefix are read in it (default: the chain's)"
          error={write.problems.country}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            Add store
          </button>
        </div>
      </form>
    </section>
  );
}
