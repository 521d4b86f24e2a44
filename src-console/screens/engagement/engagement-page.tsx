// The re-engagement page: choose a segment (dormant points, points expiring soon, one reward away) and its
// filters, see its members with the reason each is in it, export the ones who agreed to marketing as CSV,
// or hand them to the chain's messaging tool and follow the delivery. Who agreed is shown per member:
// only they leave HQ.
import { useState } from 'react';
import {
  engagementEndpoints,
  type Delivery,
  type EngagementMember,
  type SegmentFilter,
} from '../../../src-shared/console/engagement.js';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { problemsByField, TextField } from '../../components/field.js';
import { formatDateTime, formatPoints } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';
import { ConsoleApiError } from '../../api/client.js';
import { downloadSegmentCsv } from './export-csv.js';
import { DEFAULT_FILTER, SEGMENT_NAMES, SegmentForm } from './segment-form.js';

const PAGE_SIZE = 50;

const MEMBER_COLUMNS: readonly Column<EngagementMember>[] = [
  {
    header: 'Member',
    rowHeader: true,
    cell: (m) => <Link to={`members/${encodeURIComponent(m.memberId)}`}>{m.name || m.memberId}</Link>,
  },
  { header: 'Why', cell: (m) => m.reason.text },
  { header: 'Points', align: 'end', cell: (m) => formatPoints(m.balance) },
  { header: 'Tier', cell: (m) => m.tier ?? '—' },
  { header: 'Store', cell: (m) => m.storeId ?? '—' },
  { header: 'Last visit', cell: (m) => (m.lastVisitAt ? formatDateTime(m.lastVisitAt) : 'Never') },
  {
    header: 'Marketing',
    cell: (m) =>
      m.consent && m.contactable ? (
        <span className="badge">Agreed</span>
      ) : m.consent ? (
        <span className="badge badge-warning">Agreed, no contact</span>
      ) : (
        <span className="badge badge-muted">Not agreed</span>
      ),
  },
];

const STATUS_BADGE: Record<Delivery['status'], string> = {
  sending: 'badge badge-warning',
  delivered: 'badge',
  failed: 'badge badge-danger',
};

const describe = (f: SegmentFilter): string =>
  [
    SEGMENT_NAMES[f.segment],
    f.days !== undefined ? `${f.days} days` : null,
    f.withinPoints !== undefined ? `≤ ${f.withinPoints} points short` : null,
    f.withinPercent !== undefined ? `≤ ${f.withinPercent}% short` : null,
    f.storeId ? `store ${f.storeId}` : null,
    f.tier ? `tier ${f.tier}` : null,
    f.minPoints !== undefined ? `≥ ${f.minPoints} points` : null,
  ]
    .filter(Boolean)
    .join(', ');

const DELIVERY_COLUMNS: readonly Column<Delivery>[] = [
  { header: 'Made', rowHeader: true, cell: (d) => formatDateTime(d.createdAt) },
  { header: 'Segment', cell: (d) => describe(d.segment) },
  { header: 'By', cell: (d) => d.createdBy },
  { header: 'Members', align: 'end', cell: (d) => d.members },
  { header: 'Batches sent', align: 'end', cell: (d) => `${d.sentBatches} of ${d.batches}` },
  { header: 'Status', cell: (d) => <span className={STATUS_BADGE[d.status]}>{d.status}</span> },
  {
    header: 'Last problem',
    cell: (d) =>
      d.lastError
        ? `${d.lastError}${d.status === 'sending' && d.nextAttemptAt ? ` (next try ${formatDateTime(d.nextAttemptAt)})` : ''}`
        : '—',
  },
];

export function EngagementPage({ user }: PageProps) {
  const [filter, setFilter] = useState<SegmentFilter>(DEFAULT_FILTER);
  /** The cursors of the pages before this one (empty: the first page). */
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const members = useConsoleQuery(
    engagementEndpoints.segmentMembers,
    { query: { ...filter, ...(after ? { after } : {}), limit: PAGE_SIZE } },
    [filter, after],
  );
  const canSend = roleMayCall(engagementEndpoints.sendSegment, user.role);
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);

  const [exportState, setExportState] = useState<{
    busy: boolean;
    message: string | null;
    error: string | null;
  }>({ busy: false, message: null, error: null });
  const [reason, setReason] = useState('');
  const exportCsv = async (): Promise<void> => {
    setExportState({ busy: true, message: null, error: null });
    try {
      const name = await downloadSegmentCsv({
        ...filter,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setExportState({ busy: false, message: `Downloaded ${name}.`, error: null });
    } catch (error) {
      const message = error instanceof ConsoleApiError ? error.message : 'The export could not be made.';
      setExportState({ busy: false, message: null, error: message });
    }
  };

  const apply = (next: SegmentFilter): void => {
    setFilter(next);
    setCursors([]);
  };

  return (
    <>
      <PageHeader
        title="Re-engagement"
        description="Members whose points could bring them back: dormant points, points about to expire, one reward away. Only members who agreed to marketing are exported or sent."
      />
      <SegmentForm
        filter={filter}
        onApply={apply}
        problems={members.error ? problemsByField(members.error.problems) : {}}
      />
      <section className="card" aria-labelledby="hand-out-title">
        <h2 id="hand-out-title">Hand out this segment</h2>
        <TextField
          label="Reason"
          value={reason}
          onChange={setReason}
          hint="Kept in the audit log with the export or the delivery"
        />
        <div className="form-actions">
          <button
            type="button"
            className="button"
            disabled={exportState.busy}
            onClick={() => void exportCsv()}
          >
            Export CSV
          </button>
          {canSend && (
            <SendButton filter={filter} reason={reason} onSent={() => setDeliveriesVersion((n) => n + 1)} />
          )}
        </div>
        {exportState.message && (
          <p className="notice" role="status">
            {exportState.message}
          </p>
        )}
        {exportState.error && (
          <p className="form-error" role="alert">
            {exportState.error}
          </p>
        )}
      </section>
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members in the segment</h2>
        <Loaded query={members}>
          {({ members: rows, next }) => (
            <>
              <DataTable
                caption={`Members: ${describe(filter)}`}
                columns={MEMBER_COLUMNS}
                rows={rows}
                rowKey={(m) => m.memberId}
                empty="No member is in this segment."
              />
              <nav className="pager" aria-label="Segment pages">
                <button
                  type="button"
                  className="button"
                  disabled={cursors.length === 0}
                  onClick={() => setCursors(cursors.slice(0, -1))}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={next === null}
                  onClick={() => next && setCursors([...cursors, next])}
                >
                  Next page
                </button>
              </nav>
            </>
          )}
        </Loaded>
      </section>
      {canSend && <Deliveries version={deliveriesVersion} />}
    </>
  );
}

/** "Send to messaging tool": confirmed first; the delivery id is made once per confirmation, so a repeat is one delivery. */
function SendButton({
  filter,
  reason,
  onSent,
}: {
  filter: SegmentFilter;
  reason: string;
  onSent: () => void;
}) {
  const [deliveryId, setDeliveryId] = useState<string | null>(null);
  const [sent, setSent] = useState<Delivery | null>(null);
  const write = useConsoleWrite();
  const send = async (): Promise<void> => {
    if (!deliveryId) return;
    const delivery = await write.run(engagementEndpoints.sendSegment, {
      body: { ...filter, deliveryId, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (delivery) {
      setSent(delivery);
      setDeliveryId(null);
      onSent();
    }
  };
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          write.reset();
          setSent(null);
          setDeliveryId(crypto.randomUUID());
        }}
      >
        Send to messaging tool
      </button>
      {sent && (
        <p className="notice" role="status">
          Delivery of {sent.members} members in {sent.batches} batches made: HQ sends it now.
        </p>
      )}
      <ConfirmDialog
        open={deliveryId !== null}
        title="Send to the messaging tool?"
        confirmLabel="Send"
        busy={write.busy}
        error={write.error}
        onConfirm={() => void send()}
        onCancel={() => setDeliveryId(null)}
      >
        <p>
          The members of “{describe(filter)}” who agreed to marketing, with their contact details and the
          reason each is in it, go to the chain’s messaging tool.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** The latest deliveries; `version` changes when one was made, to read them again. */
function Deliveries({ version }: { version: number }) {
  const deliveries = useConsoleQuery(engagementEndpoints.listDeliveries, { query: { limit: 20 } }, [version]);
  const { reload } = deliveries;
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries to the messaging tool</h2>
      <button type="button" className="button button-small" onClick={reload}>
        Refresh
      </button>
      <Loaded query={deliveries}>
        {({ deliveries: rows }) => (
          <DataTable
            caption="Deliveries, newest first"
            captionHidden
            columns={DELIVERY_COLUMNS}
            rows={rows}
            rowKey={(d) => d.id}
            empty="Nothing was sent yet."
          />
        )}
      </Loaded>
    </section>
  );
}
