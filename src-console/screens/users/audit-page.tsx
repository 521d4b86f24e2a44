// The audit log: every console action, newest first — who, what, on what, when, why and whether HQ did it.
// Filters (who, which action, a range of days) apply on submit; paging follows HQ's keyset cursor.
import { useState, type FormEvent } from 'react';
import { authEndpoints, type AuditEntry } from '../../../src-shared/console/auth.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { TextField } from '../../components/field.js';
import { dayRangeInvalid, DayRangeFields, FilterActions } from '../../components/filters.js';
import { formatDateTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { CursorPager, useCursorPages } from '../../components/pager.js';
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
  const pages = useCursorPages<number>();
  const before = pages.cursor;

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
    if (dayRangeInvalid(draft)) return;
    setFilters(draft);
    pages.reset();
  };
  const clear = (): void => {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    pages.reset();
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
        <DayRangeFields value={draft} onChange={(range) => setDraft({ ...draft, ...range })} />
        <FilterActions onClear={clear} />
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
            <CursorPager pages={pages} next={next} label="Audit log pages" />
          </>
        )}
      </Loaded>
    </>
  );
}
