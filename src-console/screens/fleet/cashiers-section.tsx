// A store's cashiers and managers: add one with a first PIN, disable or enable them, reset a PIN (one HQ
// makes, shown once, or one the manager types). Each change reaches the store's tills through HQ's change
// feed: the tills fetch the PIN hashes again when told the cashiers changed.
import { useState, type FormEvent } from 'react';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import { fleetEndpoints, type FleetCashier } from '../../../src-shared/console/fleet.js';
import { describePinLength, type PinLength } from '../../../src-shared/kernel/pin.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/field.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import { SecretDialog } from './secret-dialog.js';

type Role = FleetCashier['role'];
const ROLES: readonly { value: Role; label: string }[] = [
  { value: 'cashier', label: 'Cashier' },
  { value: 'manager', label: 'Store manager (at the till)' },
];
const roleLabel = (role: Role): string => (role === 'manager' ? 'Manager' : 'Cashier');

export function CashiersSection({ storeId, user }: { storeId: string; user: ConsoleUser }) {
  const cashiers = useConsoleQuery(fleetEndpoints.listCashiers, { params: { storeId } }, [storeId]);
  const canWrite = roleMayCall(fleetEndpoints.changeCashier, user.role);
  const [resetting, setResetting] = useState<FleetCashier | null>(null);
  const [toggling, setToggling] = useState<FleetCashier | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const columns: Column<FleetCashier>[] = [
    { header: 'Name', rowHeader: true, cell: (c) => c.name },
    { header: 'Role', cell: (c) => roleLabel(c.role) },
    {
      header: 'Status',
      cell: (c) =>
        c.disabled ? (
          <span className="badge badge-muted">Disabled</span>
        ) : (
          <span className="badge">Active</span>
        ),
    },
  ];
  if (canWrite)
    columns.push({
      header: 'Actions',
      cell: (c) => (
        <div className="form-actions">
          {!c.disabled && (
            <button type="button" className="button button-small" onClick={() => setResetting(c)}>
              Reset PIN<span className="visually-hidden"> of {c.name}</span>
            </button>
          )}
          <button
            type="button"
            className={c.disabled ? 'button button-small' : 'button button-small button-danger'}
            onClick={() => setToggling(c)}
          >
            {c.disabled ? 'Enable' : 'Disable'}
            <span className="visually-hidden"> {c.name}</span>
          </button>
        </div>
      ),
    });

  return (
    <section className="card" aria-labelledby="cashiers-title">
      <h2 id="cashiers-title">Cashiers</h2>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Loaded query={cashiers}>
        {({ cashiers: rows, pinLength }) => (
          <>
            <DataTable
              caption="Cashiers of this store"
              captionHidden
              columns={columns}
              rows={rows}
              rowKey={(c) => c.id}
              empty="No cashier yet."
            />
            {canWrite && (
              <AddCashierForm
                storeId={storeId}
                pinLength={pinLength}
                onAdded={(c) => {
                  setNotice(`Added ${c.name}. The store’s tills will know them at their next sync.`);
                  cashiers.reload();
                }}
              />
            )}
            {resetting && (
              <ResetPinDialog
                storeId={storeId}
                cashier={resetting}
                pinLength={pinLength}
                onDone={(chosen) => {
                  setResetting(null);
                  if (chosen) setNotice(`${resetting.name}’s PIN is changed.`);
                }}
                onCancel={() => setResetting(null)}
              />
            )}
          </>
        )}
      </Loaded>
      {toggling && (
        <ToggleDialog
          storeId={storeId}
          cashier={toggling}
          onDone={(c) => {
            setToggling(null);
            setNotice(c.disabled ? `${c.name} is disabled.` : `${c.name} is enabled again.`);
            cashiers.reload();
          }}
          onCancel={() => setToggling(null)}
        />
      )}
    </section>
  );
}

function AddCashierForm({
  storeId,
  pinLength,
  onAdded,
}: {
  storeId: string;
  pinLength: PinLength;
  onAdded: (cashier: FleetCashier) => void;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('cashier');
  const [pin, setPin] = useState('');
  const write = useConsoleWrite();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const added = await write.run(fleetEndpoints.addCashier, {
      params: { storeId },
      body: { name: name.trim(), role, pin },
    });
    if (added) {
      setName('');
      setPin('');
      onAdded(added);
    }
  };
  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="add-cashier-title"
    >
      <h3 id="add-cashier-title">Add a cashier</h3>
      {write.error && (
        <p className="form-error" role="alert">
          {write.error}
        </p>
      )}
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        error={write.problems.name}
        required
        autoComplete="off"
      />
      <SelectField label="Role" value={role} onChange={setRole} options={ROLES} error={write.problems.role} />
      <TextField
        label="First PIN"
        type="password"
        value={pin}
        onChange={setPin}
        hint={`${describePinLength(pinLength)}; tell it to them in person`}
        error={write.problems.pin}
        required
        autoComplete="new-password"
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={write.busy}>
          Add cashier
        </button>
      </div>
    </form>
  );
}

function ResetPinDialog({
  storeId,
  cashier,
  pinLength,
  onDone,
  onCancel,
}: {
  storeId: string;
  cashier: FleetCashier;
  pinLength: PinLength;
  /** `chosen`: the manager typed the PIN (nothing more to show). */
  onDone: (chosen: boolean) => void;
  onCancel: () => void;
}) {
  const [mode, setMode] = useState<'hq' | 'typed'>('hq');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const write = useConsoleWrite();
  const confirm = async (): Promise<void> => {
    const done = await write.run(fleetEndpoints.resetCashierPin, {
      params: { storeId, cashierId: cashier.id },
      body: { ...(mode === 'typed' ? { pin } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (!done) return;
    if (done.pin === null) onDone(true);
    else setMade(done.pin);
  };
  return (
    <>
      <ConfirmDialog
        open={made === null}
        title={`Reset ${cashier.name}’s PIN?`}
        confirmLabel="Reset PIN"
        busy={write.busy}
        error={write.error}
        onConfirm={() => void confirm()}
        onCancel={onCancel}
      >
        <p>The old PIN stops working at the store’s tills once they hear of the change.</p>
        <SelectField
          label="New PIN"
          value={mode}
          onChange={setMode}
          options={[
            { value: 'hq', label: 'HQ makes one (shown once)' },
            { value: 'typed', label: 'I type it' },
          ]}
        />
        {mode === 'typed' && (
          <TextField
            label="PIN"
            type="password"
            value={pin}
            onChange={setPin}
            hint={describePinLength(pinLength)}
            error={write.problems.pin}
            autoComplete="new-password"
          />
        )}
        <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
      </ConfirmDialog>
      <SecretDialog
        title={`${cashier.name}’s new PIN`}
        label="New PIN"
        secret={made}
        onClose={() => onDone(false)}
      >
        <p>Tell it to {cashier.name} in person.</p>
      </SecretDialog>
    </>
  );
}

function ToggleDialog({
  storeId,
  cashier,
  onDone,
  onCancel,
}: {
  storeId: string;
  cashier: FleetCashier;
  onDone: (cashier: FleetCashier) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const write = useConsoleWrite();
  const disable = !cashier.disabled;
  const confirm = async (): Promise<void> => {
    const done = await write.run(fleetEndpoints.changeCashier, {
      params: { storeId, cashierId: cashier.id },
      body: { disabled: disable, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (done) onDone(done);
  };
  return (
    <ConfirmDialog
      open
      title={disable ? `Disable ${cashier.name}?` : `Enable ${cashier.name}?`}
      confirmLabel={disable ? 'Disable' : 'Enable'}
      danger={disable}
      busy={write.busy}
      error={write.error}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      <p>
        {disable
          ? 'They can no longer sign in at the store’s tills once the tills hear of it.'
          : 'They can sign in again with their PIN.'}
      </p>
      <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
    </ConfirmDialog>
  );
}
