// Adding a console user: a username, their name, a role (a store manager's stores), and a first password
// they are given in person. HQ checks everything again; its problems show beside their fields.
import { useState, type FormEvent } from 'react';
import { authEndpoints } from '../../../src-shared/console/auth.js';
import { CONSOLE_ROLES, type ConsoleRole } from '../../../src-shared/console/endpoint.js';
import { SelectField, TextField } from '../../components/field.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { ROLE_LABELS } from '../../components/roles.js';
import { FormFeedback } from '../../components/states.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';
import { parseStoreIds } from './stores.js';

export const ROLE_OPTIONS = CONSOLE_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

export function NewUserPage(props: PageProps) {
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<ConsoleRole>('analyst');
  const [stores, setStores] = useState('');
  const [password, setPassword] = useState('');
  const write = useConsoleWrite();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const user = await write.run(authEndpoints.createUser, {
      body: {
        username: username.trim().toLowerCase(),
        name: name.trim(),
        role,
        storeIds: role === 'store-manager' ? parseStoreIds(stores) : [],
        password,
      },
    });
    if (user) props.navigate(`users?added=${encodeURIComponent(user.username)}`);
  };

  return (
    <>
      <PageHeader title="Add a user" description={<Link to="users">Back to the users</Link>} />
      <form className="card form" onSubmit={(event) => void submit(event)} noValidate>
        <FormFeedback error={write.error} />
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          autoComplete="off"
          hint="Lower-case letters, digits and . _ @ -"
          error={write.problems.username}
          required
        />
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          autoComplete="off"
          error={write.problems.name}
          required
        />
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
            required
          />
        )}
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint="At least 12 characters. Give it to them in person."
          error={write.problems.password}
          required
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            {write.busy ? 'Adding…' : 'Add the user'}
          </button>
          <Link to="users" className="button">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
