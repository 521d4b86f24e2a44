// The review queue: what HQ would not decide alone, oldest first. Filters (status, kind, store, days of
// creation) apply on submit; paging follows HQ's keyset cursor, the cursors of the pages before kept so
// "Earlier" walks back. A store manager's queue holds only their stores' items (HQ scopes it).
import { useState, type FormEvent } from 'react';
import {
  REVIEW_KIND_NAMES,
  reviewsEndpoints,
  type ReviewItemView,
} from '../../../src-shared/console/reviews.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { Field, SelectField, TextField } from '../../components/field.js';
import { formatDateTime, formatPoints } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';
import { decisionBadge, heldOf } from './review-words.js';

const PAGE_SIZE = 50;

type Status = '' | 'open' | 'resolved';

interface Filters {
  status: Status;
  kind: string;
  storeId: string;
  /** Calendar days in the browser's time zone ('' for open). */
  from: string;
  to: string;
}

const DEFAULT_FILTERS: Filters = { status: 'open', kind: '', storeId: '', from: '', to: '' };

/** The start of a local calendar day as an instant with its offset. */
function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

const COLUMNS: readonly Column<ReviewItemView>[] = [
  {
    header: 'Item',
    rowHeader: true,
    cell: (item) => <Link to={`reviews/${item.id}`}>#{item.id}</Link>,
  },
  { header: 'Kind', cell: (item) => item.kind },
  { header: 'Store', cell: (item) => item.storeId ?? 'HQ' },
  { header: 'Member', cell: (item) => item.memberId ?? '—' },
  { header: 'Held', align: 'end', cell: (item) => (heldOf(item) > 0 ? formatPoints(heldOf(item)) : '—') },
  {
    header: 'Opened',
    cell: (item) => <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>,
  },
  { header: 'Status', cell: decisionBadge },
];

export function ReviewQueuePage({ user }: PageProps) {
  const [draft, setDraft] = useState<Filters>(DEFAULT_FILTERS);
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [cursors, setCursors] = useState<number[]>([]);
  const after = cursors[cursors.length - 1];
  const invalidRange = draft.from !== '' && draft.to !== '' && draft.from > draft.to;

  const items = useConsoleQuery(
    reviewsEndpoints.listReviews,
    {
      query: {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.kind.trim() ? { kind: filters.kind.trim() } : {}),
        ...(filters.storeId.trim() ? { storeId: filters.storeId.trim() } : {}),
        ...(filters.from ? { from: dayStart(filters.from) } : {}),
        ...(filters.to ? { to: dayStart(filters.to, 1) } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: PAGE_SIZE,
      },
    },
    [filters, after],
  );

  const apply = (event: FormEvent): void => {
    event.preventDefault();
    if (invalidRange) return;
    setFilters(draft);
    setCursors([]);
  };
  const clear = (): void => {
    setDraft(DEFAULT_FILTERS);
    setFilters(DEFAULT_FILTERS);
    setCursors([]);
  };

  return (
    <>
      <PageHeader
        title="Review queue"
        description={
          user.role === 'store-manager'
            ? 'What HQ would not decide alone at your stores, oldest first.'
            : 'What HQ would not decide alone, oldest first: open an item to see its events and approve or reject it.'
        }
      />
      <form className="card filters" onSubmit={apply} aria-label="Filter the review queue">
        <SelectField<Status>
          label="Status"
          value={draft.status}
          onChange={(status) => setDraft({ ...draft, status })}
          options={[
            { value: 'open', label: 'Open' },
            { value: 'resolved', label: 'Resolved' },
            { value: '', label: 'Any' },
          ]}
        />
        <Field label="Kind">
          {(control) => (
            <>
              <input
                {...control}
                list="review-kinds"
                value={draft.kind}
                onChange={(e) => setDraft({ ...draft, kind: e.target.value })}
              />
              <datalist id="review-kinds">
                {REVIEW_KIND_NAMES.map((kind) => (
                  <option key={kind} value={kind} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <TextField
          label="Store"
          value={draft.storeId}
          onChange={(storeId) => setDraft({ ...draft, storeId })}
          placeholder={user.role === 'store-manager' ? user.storeIds.join(', ') : 'any store'}
        />
        <Field label="Opened from" error={invalidRange ? 'The start is after the end.' : null}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          )}
        </Field>
        <Field label="Opened to">
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
      <Loaded query={items}>
        {({ items: rows, next }) => (
          <>
            <DataTable
              caption="Review items"
              captionHidden
              columns={COLUMNS}
              rows={rows}
              rowKey={(item) => String(item.id)}
              empty="No review items match these filters."
            />
            <nav className="pager" aria-label="Review queue pages">
              <button
                type="button"
                className="button"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Earlier
              </button>
              <button
                type="button"
                className="button"
                disabled={next === null}
                onClick={() => next !== null && setCursors([...cursors, next])}
              >
                Later
              </button>
            </nav>
          </>
        )}
      </Loaded>
    </>
  );
}
