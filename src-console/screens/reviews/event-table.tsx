// A table of events as the review screens show them: when, what, where, the points HQ applied and HQ's
// verdict (posted, flagged, quarantined with its reason).
import type { ReviewEvent } from '../../../src-shared/console/reviews.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { formatDateTime, formatNumber } from '../../components/format.js';

const COLUMNS: readonly Column<ReviewEvent>[] = [
  {
    header: 'When',
    rowHeader: true,
    cell: (e) => <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>,
  },
  { header: 'Event', cell: (e) => e.type },
  { header: 'Store', cell: (e) => e.storeId },
  { header: 'Terminal', cell: (e) => e.terminalId },
  { header: 'Points', align: 'end', cell: (e) => formatNumber(e.points) },
  {
    header: 'Status',
    cell: (e) =>
      e.status === 'posted' ? (
        <span className="badge badge-muted">Posted</span>
      ) : (
        <span className="badge badge-warning">
          {e.status === 'flagged' ? 'Flagged' : 'Quarantined'}
          {e.reason ? `: ${e.reason}` : ''}
        </span>
      ),
  },
];

export function EventTable({
  caption,
  events,
  empty,
}: {
  caption: string;
  events: readonly ReviewEvent[];
  empty: string;
}) {
  return <DataTable caption={caption} columns={COLUMNS} rows={events} rowKey={(e) => e.id} empty={empty} />;
}
