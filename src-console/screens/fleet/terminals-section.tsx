// A store's terminals as HQ sees them: a status badge (online recently, stale, never seen, revoked), the
// events HQ holds and those it is missing or holding, open review items, and the last day close with its
// differences. The admin and the store's managers make one-time enrollment codes (shown once) and revoke
// a terminal (its token stops working, its stream ends).
import { useState } from 'react';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import {
  fleetEndpoints,
  type DayClose,
  type FleetTerminal,
  type TerminalStatus,
} from '../../../src-shared/console/fleet.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/field.js';
import { formatDateTime, formatDay, formatNumber } from '../../components/format.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import { SecretDialog } from './secret-dialog.js';

const STATUS: Record<TerminalStatus, { label: string; className: string }> = {
  online: { label: 'Online', className: 'badge' },
  stale: { label: 'Not seen lately', className: 'badge badge-warning' },
  'never-seen': { label: 'Never seen', className: 'badge badge-muted' },
  revoked: { label: 'Revoked', className: 'badge badge-danger' },
};

const FIELD_NAMES: Record<string, string> = {
  firstSeq: 'first #',
  lastSeq: 'last #',
  count: 'events',
  lastHash: 'last hash',
  pointsIssued: 'points issued',
  pointsRedeemed: 'points redeemed',
};

/** Review kinds a terminal's events or closes open, as a store manager reads them (others as HQ names them). */
const REVIEW_KINDS: Record<string, string> = {
  gap: 'missing events',
  'chain-break': 'broken chain',
  'close-mismatch': 'day close mismatch',
  'card-unknown': 'points on a card HQ does not know',
};

/** A figure as a person compares it: a hash by its first eight digits. */
const figureText = (value: number | string | null): string =>
  value === null
    ? 'none'
    : typeof value === 'string' && value.length > 12
      ? `${value.slice(0, 8)}…`
      : String(value);

const seqRange = ([from, to]: [number, number]): string => (from === to ? `#${from}` : `#${from}–#${to}`);

function LastClose({ close }: { close: DayClose | null }) {
  if (!close) return <span className="badge badge-muted">No close yet</span>;
  const day = formatDay(close.businessDay);
  if (close.status === 'match')
    return (
      <>
        {day} <span className="badge">Matches HQ</span>
      </>
    );
  return (
    <details>
      <summary>
        {day} <span className="badge badge-danger">Mismatch</span>
      </summary>
      <ul>
        {close.differences.map((d) => (
          <li key={d.field}>
            {FIELD_NAMES[d.field] ?? d.field}: till {figureText(d.terminal)}, HQ {figureText(d.hq)}
          </li>
        ))}
        {close.missing.length > 0 && <li>HQ had not received {close.missing.map(seqRange).join(', ')}</li>}
      </ul>
    </details>
  );
}

function Pending({ terminal }: { terminal: FleetTerminal }) {
  const lines: string[] = [];
  if (terminal.pending > 0) lines.push(`${formatNumber(terminal.pending)} not received`);
  if (terminal.eventsWaiting > 0)
    lines.push(`${formatNumber(terminal.eventsWaiting)} waiting for their member`);
  for (const review of terminal.openReviews)
    lines.push(`${formatNumber(review.count)} in review: ${REVIEW_KINDS[review.kind] ?? review.kind}`);
  if (lines.length === 0) return <span className="badge">None</span>;
  return (
    <>
      {lines.map((line) => (
        <div key={line}>
          <span className="badge badge-warning">{line}</span>
        </div>
      ))}
    </>
  );
}

export function TerminalsSection({ storeId, user }: { storeId: string; user: ConsoleUser }) {
  const terminals = useConsoleQuery(fleetEndpoints.listTerminals, { params: { storeId } }, [storeId]);
  const canEnroll = roleMayCall(fleetEndpoints.createEnrollmentCode, user.role);
  const canRevoke = roleMayCall(fleetEndpoints.revokeTerminal, user.role);
  const [revoking, setRevoking] = useState<FleetTerminal | null>(null);

  const columns: Column<FleetTerminal>[] = [
    {
      header: 'Terminal',
      rowHeader: true,
      cell: (t) => (
        <>
          {t.name}
          {t.enrolledAt && <div className="field-hint">enrolled {formatDateTime(t.enrolledAt)}</div>}
        </>
      ),
    },
    {
      header: 'Status',
      cell: (t) => (
        <>
          <span className={STATUS[t.status].className}>{STATUS[t.status].label}</span>
          <div className="field-hint">
            {t.lastSeenAt ? `seen ${formatDateTime(t.lastSeenAt)}` : 'not heard from yet'}
          </div>
        </>
      ),
    },
    { header: 'Events at HQ', align: 'end', cell: (t) => formatNumber(t.eventsReceived) },
    { header: 'Pending', cell: (t) => <Pending terminal={t} /> },
    { header: 'Last day close', cell: (t) => <LastClose close={t.lastClose} /> },
  ];
  if (canRevoke)
    columns.push({
      header: 'Actions',
      cell: (t) =>
        t.status === 'revoked' ? (
          t.revokedAt && `Revoked ${formatDateTime(t.revokedAt)}`
        ) : (
          <button type="button" className="button button-small button-danger" onClick={() => setRevoking(t)}>
            Revoke<span className="visually-hidden"> {t.name}</span>
          </button>
        ),
    });

  return (
    <section className="card" aria-labelledby="terminals-title">
      <div className="page-header">
        <h2 id="terminals-title">Terminals</h2>
        {canEnroll && <EnrollmentCodeButton storeId={storeId} onMade={terminals.reload} />}
      </div>
      <Loaded query={terminals}>
        {({ terminals: rows }) => (
          <DataTable
            caption="Terminals of this store"
            captionHidden
            columns={columns}
            rows={rows}
            rowKey={(t) => t.id}
            empty="No terminal is enrolled in this store yet."
          />
        )}
      </Loaded>
      {revoking && (
        <RevokeDialog
          storeId={storeId}
          terminal={revoking}
          onDone={() => {
            setRevoking(null);
            terminals.reload();
          }}
          onCancel={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

const VALIDITY = [
  { value: '1', label: '1 hour' },
  { value: '24', label: '24 hours' },
  { value: '168', label: '7 days' },
] as const;

function EnrollmentCodeButton({ storeId, onMade }: { storeId: string; onMade: () => void }) {
  const [asking, setAsking] = useState(false);
  const [hours, setHours] = useState<(typeof VALIDITY)[number]['value']>('24');
  const [reason, setReason] = useState('');
  const [made, setMade] = useState<{ code: string; expiresAt: string } | null>(null);
  const write = useConsoleWrite();
  const confirm = async (): Promise<void> => {
    const answer = await write.run(fleetEndpoints.createEnrollmentCode, {
      params: { storeId },
      body: { ttlHours: Number(hours), ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    if (answer) {
      setAsking(false);
      setReason('');
      setMade({ code: answer.code, expiresAt: answer.expiresAt });
    }
  };
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          write.reset();
          setAsking(true);
        }}
      >
        Make an enrollment code
      </button>
      <ConfirmDialog
        open={asking}
        title="Make an enrollment code"
        confirmLabel="Make code"
        busy={write.busy}
        error={write.error}
        onConfirm={() => void confirm()}
        onCancel={() => setAsking(false)}
      >
        <p>The code enrolls one new till into this store. Type it into the till’s enrollment screen.</p>
        <SelectField label="Valid for" value={hours} onChange={setHours} options={VALIDITY} />
        <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
      </ConfirmDialog>
      <SecretDialog
        title="Enrollment code"
        label="Enrollment code"
        secret={made?.code ?? null}
        onClose={() => {
          setMade(null);
          onMade();
        }}
      >
        {made && <p>Valid until {formatDateTime(made.expiresAt)}, for one till.</p>}
      </SecretDialog>
    </>
  );
}

function RevokeDialog({
  storeId,
  terminal,
  onDone,
  onCancel,
}: {
  storeId: string;
  terminal: FleetTerminal;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const write = useConsoleWrite();
  const confirm = async (): Promise<void> => {
    const done = await write.run(fleetEndpoints.revokeTerminal, {
      params: { storeId, terminalId: terminal.id },
      body: reason.trim() ? { reason: reason.trim() } : {},
    });
    if (done) onDone();
  };
  return (
    <ConfirmDialog
      open
      title={`Revoke ${terminal.name}?`}
      confirmLabel="Revoke"
      danger
      busy={write.busy}
      error={write.error}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      <p>
        Its token stops working at once and its connection to HQ ends. To connect again it needs a new
        enrollment code.
      </p>
      <TextField label="Reason" value={reason} onChange={setReason} hint="Kept in the audit log" />
    </ConfirmDialog>
  );
}
