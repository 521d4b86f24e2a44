// The console's users: who they are, their role and stores, whether they can sign in, and when they last
// did. Each opens to its own page (role, stores, disable, password).
import { authEndpoints, type ConsoleUser } from '../../../src-shared/console/auth.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { formatDateTime } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { ROLE_LABELS } from '../../components/roles.js';
import { FormFeedback, Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useSearch } from '../../shell/router.js';

const COLUMNS: readonly Column<ConsoleUser>[] = [
  { header: 'Name', rowHeader: true, cell: (u) => <Link to={`users/${u.id}`}>{u.name}</Link> },
  { header: 'Username', cell: (u) => u.username },
  { header: 'Role', cell: (u) => ROLE_LABELS[u.role] },
  { header: 'Stores', cell: (u) => (u.role === 'store-manager' ? u.storeIds.join(', ') : 'All') },
  {
    header: 'Status',
    cell: (u) =>
      u.disabled ? (
        <span className="badge badge-muted">Disabled</span>
      ) : (
        <span className="badge">Active</span>
      ),
  },
  { header: 'Last sign-in', cell: (u) => (u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never') },
];

export function UsersPage() {
  const users = useConsoleQuery(authEndpoints.listUsers, {}, []);
  const added = useSearch().get('added');
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in to the console, and what their role lets them do."
        actions={
          <Link to="users/new" className="button button-primary">
            Add a user
          </Link>
        }
      />
      <FormFeedback success={added ? `Added ${added}.` : null} />
      <Loaded query={users}>
        {({ users: rows }) => (
          <DataTable
            caption="Console users"
            captionHidden
            columns={COLUMNS}
            rows={rows}
            rowKey={(u) => u.id}
            empty="No users yet."
          />
        )}
      </Loaded>
    </>
  );
}
