// Member search: one box for a card number, a phone, a name or an e-mail (HQ decides which it is, and
// looks a phone up through the chain's phone lookup key), results a page at a time, each opening the
// member's page. A store manager finds the members enrolled at their stores.
import { useState, type FormEvent } from 'react';
import { membersEndpoints, type MemberSummary } from '../../../src-shared/console/members.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { TextField } from '../../components/field.js';
import { formatPoints } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';

const COLUMNS: readonly Column<MemberSummary>[] = [
  {
    header: 'Member',
    rowHeader: true,
    cell: (m) => <Link to={`members/${encodeURIComponent(m.id)}`}>{m.fullName ?? m.displayName}</Link>,
  },
  { header: 'E-mail', cell: (m) => m.email ?? '—' },
  { header: 'Phone', cell: (m) => (m.phoneLast4 ? `…${m.phoneLast4}` : '—') },
  { header: 'Cards', cell: (m) => m.cards.join(', ') || '—' },
  { header: 'Tier', cell: (m) => m.tier ?? '—' },
  { header: 'Status', cell: (m) => m.status },
  { header: 'Balance', align: 'end', cell: (m) => formatPoints(m.balance - m.debt) },
];

export function MembersSearchPage({ user }: PageProps) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState<{ q: string; page: number } | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (text.trim().length >= 2) setSearch({ q: text.trim(), page: 1 });
  };
  return (
    <>
      <PageHeader
        title="Members"
        description={
          user.role === 'store-manager'
            ? 'Find a member enrolled at your stores by card, phone, name or e-mail.'
            : 'Find a member by card, phone, name or e-mail.'
        }
      />
      <form className="card filters" role="search" onSubmit={submit}>
        <TextField
          label="Card, phone, name or e-mail"
          type="search"
          name="q"
          value={text}
          onChange={setText}
          hint="At least 2 characters. A phone can be typed as on a till (087 123 4567)."
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Search
          </button>
        </div>
      </form>
      {search && (
        <Results q={search.q} page={search.page} onPage={(page) => setSearch({ ...search, page })} />
      )}
    </>
  );
}

function Results({ q, page, onPage }: { q: string; page: number; onPage: (page: number) => void }) {
  const results = useConsoleQuery(membersEndpoints.searchMembers, { query: { q, page, pageSize: 25 } }, [
    q,
    page,
  ]);
  return (
    <Loaded query={results} loadingLabel="Searching…">
      {({ members, more }) => (
        <section aria-labelledby="results-title">
          <h2 id="results-title">
            {members.length === 0 ? 'No member found' : `Members found (page ${page})`}
          </h2>
          <DataTable
            caption={`Members matching “${q}”`}
            captionHidden
            columns={COLUMNS}
            rows={members}
            rowKey={(m) => m.id}
            empty="No member matches. Check the number, or try a name or e-mail."
          />
          {(page > 1 || more) && (
            <nav className="pager" aria-label="Result pages">
              <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
                Previous page
              </button>
              <button type="button" className="button" disabled={!more} onClick={() => onPage(page + 1)}>
                Next page
              </button>
            </nav>
          )}
        </section>
      )}
    </Loaded>
  );
}
