// One console user: their role and stores (changed with a reason, for the audit log), access (disable:
// their sessions end at once; enable again), and a new password (their other sessions end).
import { useState, type FormEvent } from 'react';
import { authEndpoints, type ConsoleUser } from '../../../src-shared/console/auth.js';
import type { ConsoleRole } from '../../../src-shared/console/endpoint.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { SelectField, TextField } from '../../components/field.js';
import { formatDateTime } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { ROLE_LABELS } from '../../components/roles.js';
import { FormFeedback, Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';
import { ROLE_OPTIONS } from './new-user-page.js';
import { parseStoreIds, storeIdsText } from './stores.js';

export function UserPage({ params, user: me }: PageProps) {
  const users = useConsoleQuery(authEndpoints.listUsers, {}, []);
  return (
    <Loaded query={users}>
      {({ users: all }) => {
        const user = all.find((u) => u.id === params.id);
        if (!user)
          return (
            <>
              <PageHeader title="User not found" description={<Link to="users">Back to the users</Link>} />
              <p>There is no console user with this id.</p>
            </>
          );
        return <UserDetail key={user.id} user={user} isMe={user.id === me.id} onChanged={users.reload} />;
      }}
    </Loaded>
  );
}

function UserDetail({ user, isMe, onChanged }: { user: ConsoleUser; isMe: boolean; onChanged: () => void }) {
  return (
    <>
      <PageHeader
        title={user.name}
        description={
          <>
            {user.username} · {ROLE_LABELS[user.role]} · {user.disabled ? 'Disabled' : 'Active'} · last signed
            in {user.lastSignInAt ? formatDateTime(user.lastSignInAt) : 'never'} ·{' '}
            <Link to="users">All users</Link>
          </>
        }
      />
      <div className="card-grid">
        <RoleCard user={user} onChanged={onChanged} />
        <AccessCard user={user} isMe={isMe} onChanged={onChanged} />
        <PasswordCard user={user} />
      </div>
    </>
  );
}

function RoleCard({ user, onChanged }: { user: ConsoleUser; onChanged: () => void }) {
  const [role, setRole] = useState<ConsoleRole>(user.role);
  const [stores, setStores] = useState(storeIdsText(user.storeIds));
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const write = useConsoleWrite();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaved(false);
    const changed = await write.run(authEndpoints.changeUser, {
      params: { id: user.id },
      body: {
        role,
        ...(role === 'store-manager' ? { storeIds: parseStoreIds(stores) } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      },
    });
    if (changed) {
      setSaved(true);
      setReason('');
      onChanged();
    }
  };
  return (
    <section className="card" aria-labelledby="role-title">
      <h2 id="role-title">Role and stores</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <FormFeedback error={write.error} success={saved ? 'Saved.' : null} />
        <SelectField
          label="Role"
          value={role}
          onChange={setRole}
          options={ROLE_OPTIONS}
          error={write.problems.role}
        />
        {role === 'store-manager' && (
          <TextField
            label="Stores"
            value={stores}
            onChange={setStores}
            hint="Store ids, separated by commas"
            error={write.problems.storeIds}
          />
        )}
        <TextField
          label="Reason"
          value={reason}
          onChange={setReason}
          hint="Kept in the audit log"
          error={write.problems.reason}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            Save role
          </button>
        </div>
      </form>
    </section>
  );
}

function AccessCard({ user, isMe, onChanged }: { user: ConsoleUser; isMe: boolean; onChanged: () => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const write = useConsoleWrite();
  const disable = !user.disabled;
  const confirm = async (): Promise<void> => {
    const changed = await write.run(authEndpoints.changeUser, {
      params: { id: user.id },
      body: { disabled: disable, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (changed) {
      setAsking(false);
      onChanged();
    }
  };
  return (
    <section className="card" aria-labelledby="access-title">
      <h2 id="access-title">Access</h2>
      <p>
        {user.disabled
          ? 'This user cannot sign in.'
          : 'This user can sign in. Disabling them ends their sessions at once.'}
      </p>
      <button
        type="button"
        className={disable ? 'button button-danger' : 'button'}
        onClick={() => {
          write.reset();
          setAsking(true);
        }}
        disabled={isMe && disable}
      >
        {disable ? 'Disable user' : 'Enable user'}
      </button>
      {isMe && disable && <p className="field-hint">You cannot disable yourself.</p>}
      <ConfirmDialog
        open={asking}
        title={disable ? `Disable ${user.name}?` : `Enable ${user.name}?`}
        confirmLabel={disable ? 'Disable' : 'Enable'}
        danger={disable}
        busy={write.busy}
        error={write.error}
        onConfirm={() => void confirm()}
        onCancel={() => setAsking(false)}
      >
        <p>
          {disable
            ? 'They will be signed out and cannot sign in until enabled again.'
            : 'They can sign in again.'}
        </p>
        <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
      </ConfirmDialog>
    </section>
  );
}

function PasswordCard({ user }: { user: ConsoleUser }) {
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const write = useConsoleWrite();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSaved(false);
    const changed = await write.run(authEndpoints.setPassword, {
      params: { id: user.id },
      body: { password, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (changed) {
      setSaved(true);
      setPassword('');
      setReason('');
    }
  };
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <FormFeedback
          error={write.error}
          success={saved ? 'Password set. Their other sessions have ended.' : null}
        />
        <TextField
          label="New password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint="At least 12 characters"
          error={write.problems.password}
        />
        <TextField
          label="Reason"
          value={reason}
          onChange={setReason}
          hint="Kept in the audit log"
          error={write.problems.reason}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            Set password
          </button>
        </div>
      </form>
    </section>
  );
}
