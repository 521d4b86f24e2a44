// The audit log: every console action, newest first — who, what, on what, when, why and whether HQ did it.
// Filters (who, which action, a range of days) apply on submit; paging follows HQ's keyset cursor, with
// the cursors of the pages before kept so "Newer" walks back.
import { useState, type FormEvent } from 'react';
import { authEndpoints, type AuditEntry } from '../../../src-shared/console/auth.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { Field, TextField } from '../../components/field.js';
import { formatDateTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';

const PAGE_SIZE = 50;

interface Filters {
  actor: string;
  action: string;
  /** Calendar days in the browser's time zone ('' for open). */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { actor: '', action: '', from: '', to: '' };

/** The start of a local calendar day as an instant with its offset (what the endpoint's query takes). */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function hasDetails(details: unknown): boolean {
  return details !== null && typeof details === 'object' && Object.keys(details).length > 0;
}

const COLUMNS: readonly Column<AuditEntry>[] = [
  { header: 'When', rowHeader: true, cell: (e) => <time dateTime={e.at}>{formatDateTime(e.at)}</time> },
  { header: 'Who', cell: (e) => e.actor },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Target', cell: (e) => e.target ?? '—' },
  { header: 'Why', cell: (e) => e.reason ?? '—' },
  {
    header: 'Outcome',
    cell: (e) =>
      e.outcome === 'done' ? (
        <span className="badge">Done</span>
      ) : (
        <span className="badge badge-warning">Refused</span>
      ),
  },
  {
    header: 'Details',
    cell: (e) =>
      hasDetails(e.details) ? (
        <details>
          <summary>Show</summary>
          <pre>{JSON.stringify(e.details, null, 2)}</pre>
        </details>
      ) : (
        '—'
      ),
  },
];

export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /** The cursors of the pages shown before this one (empty: the newest page). */
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors[cursors.length - 1];
  const invalidRange = draft.from !== '' && draft.to !== '' && draft.from > draft.to;

  const entries = useConsoleQuery(
    authEndpoints.auditLog,
    {
      query: {
        ...(filters.actor.trim() ? { actor: filters.actor.trim().toLowerCase() } : {}),
        ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
        ...(filters.from ? { from: dayStart(filters.from) } : {}),
        ...(filters.to ? { to: dayStart(filters.to, 1) } : {}),
        ...(before !== undefined ? { before } : {}),
        limit: PAGE_SIZE,
      },
    },
    [filters, before],
  );

  const apply = (event: FormEvent): void => {
    event.preventDefault();
    if (invalidRange) return;
    setFilters(draft);
    setCursors([]);
  };
  const clear = (): void => {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    setCursors([]);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every console action, newest first: who did what, when and why."
      />
      <form className="card filters" onSubmit={apply} aria-label="Filter the audit log">
        <TextField
          label="Who (username)"
          value={draft.actor}
          onChange={(actor) => setDraft({ ...draft, actor })}
        />
        <TextField
          label="Action"
          value={draft.action}
          onChange={(action) => setDraft({ ...draft, action })}
          placeholder="e.g. user.create"
        />
        <Field label="From" error={invalidRange ? 'The start is after the end.' : null}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          )}
        </Field>
        <Field label="To">
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      <Loaded query={entries}>
        {({ entries: rows, next }) => (
          <>
            <DataTable
              caption="Audit log entries"
              captionHidden
              columns={COLUMNS}
              rows={rows}
              rowKey={(e) => String(e.id)}
              empty="No entries match these filters."
            />
            <nav className="pager" aria-label="Audit log pages">
              <button
                type="button"
                className="button"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Newer
              </button>
              <button
                type="button"
                className="button"
                disabled={next === null}
                onClick={() => next !== null && setCursors([...cursors, next])}
              >
                Older
              </button>
            </nav>
          </>
        )}
      </Loaded>
    </>
  );
}
