// One member: balance, debt, tier, plan and status; contact details (HQ only); cards with their status;
// the history, each event with what HQ made of it and the points it applied; and the actions the user's
// role allows (actions.tsx). A merged member points at its survivor; an erased one shows its pseudonym.
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import {
  membersEndpoints,
  type EventState,
  type MemberCard,
  type MemberEvent,
  type MemberProfile,
} from '../../../src-shared/console/members.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { formatDate, formatDateTime, formatNumber, formatPoints } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';
import { AdjustCard, EraseCard, ExportCard, MergeCard, ReplaceCardCard } from './actions.js';

const STATE_LABELS: Record<EventState, string> = {
  applied: 'Applied',
  held: 'Held for review',
  voided: 'Voided',
  refused: 'Not applied',
  waiting: 'Waiting for member',
  quarantined: 'Quarantined',
};

const signed = (points: number): string => (points > 0 ? `+${formatNumber(points)}` : formatNumber(points));

const CARD_COLUMNS: readonly Column<MemberCard>[] = [
  { header: 'Card', rowHeader: true, cell: (c) => <code>{c.number}</code> },
  { header: 'Status', cell: (c) => (c.status === 'active' ? 'Active' : 'Blocked') },
  { header: 'Blocked', cell: (c) => (c.blockedAt ? formatDateTime(c.blockedAt) : '—') },
  { header: 'Why', cell: (c) => c.blockedReason ?? '—' },
  { header: 'Replaced by', cell: (c) => (c.replacedBy ? <code>{c.replacedBy}</code> : '—') },
];

const eventColumns = (memberId: string): readonly Column<MemberEvent>[] => [
  { header: 'When', rowHeader: true, cell: (e) => formatDateTime(e.occurredAt) },
  {
    header: 'Event',
    cell: (e) => (
      <>
        {e.type}
        {e.memberId !== memberId && <span className="field-hint"> (merged member {e.memberId})</span>}
      </>
    ),
  },
  { header: 'What', cell: (e) => e.detail },
  {
    header: 'Where',
    cell: (e) => (e.terminalId === 'hq' ? 'HQ' : <span title={`terminal ${e.terminalId}`}>{e.storeId}</span>),
  },
  {
    header: 'Status',
    cell: (e) => (
      <>
        {STATE_LABELS[e.state]}
        {e.reason && <span className="field-hint"> — {e.reason}</span>}
      </>
    ),
  },
  { header: 'Claimed', align: 'end', cell: (e) => (e.claimed === null ? '—' : signed(e.claimed)) },
  { header: 'Applied', align: 'end', cell: (e) => signed(e.applied) },
];

function Figure({ label, value, note }: { label: string; value: string; note?: string | undefined }) {
  return (
    <div className="figure">
      <p className="figure-label">{label}</p>
      <p className="figure-value">{value}</p>
      {note && <p className="figure-note">{note}</p>}
    </div>
  );
}

export function MemberPage({ params, user }: PageProps) {
  const id = params.id ?? '';
  const profile = useConsoleQuery(
    membersEndpoints.memberProfile,
    { params: { id }, query: { events: 200 } },
    [id],
  );
  return (
    <Loaded query={profile}>
      {(p) => <MemberDetail profile={p} role={user.role} onChanged={profile.reload} />}
    </Loaded>
  );
}

function MemberDetail({
  profile,
  role,
  onChanged,
}: {
  profile: MemberProfile;
  role: PageProps['user']['role'];
  onChanged: () => void;
}) {
  const m = profile.member;
  const live = m.mergedInto === null && !m.erased;
  const may = (endpoint: Parameters<typeof roleMayCall>[0]): boolean => live && roleMayCall(endpoint, role);
  return (
    <>
      <PageHeader
        title={m.fullName ?? m.displayName}
        description={
          <>
            Member <code>{m.id}</code> · enrolled {formatDate(m.enrolledAt)}
            {m.storeId ? ` at ${m.storeId}` : ' by HQ'} · <Link to="members">Search members</Link>
          </>
        }
      />
      {m.mergedInto && (
        <p className="notice" role="status">
          Merged into <Link to={`members/${encodeURIComponent(m.mergedInto)}`}>member {m.mergedInto}</Link>:
          its cards, points and history are that member’s now.
        </p>
      )}
      {m.erased && (
        <p className="notice" role="status">
          Erased: personal data removed at HQ and on every terminal; events and points kept under the
          pseudonym “{m.displayName}”.
        </p>
      )}
      {profile.leftOnMerged.map((left) => (
        <p key={left.memberId} className="notice" role="status">
          {formatPoints(left.points)} reached merged member <code>{left.memberId}</code> after the merge (a
          till that had not heard of it): merge that member again below to move them here.
        </p>
      ))}
      <section aria-labelledby="summary-title">
        <h2 id="summary-title" className="visually-hidden">
          Account
        </h2>
        <div className="figures">
          <Figure
            label="Balance"
            value={formatPoints(m.balance)}
            note={m.debt > 0 ? `debt ${formatPoints(m.debt)}` : undefined}
          />
          <Figure label="Tier" value={m.tier ?? 'None'} />
          <Figure
            label="Plan"
            value={m.plan?.id ?? 'None'}
            note={m.plan ? `until ${formatDate(m.plan.until)}` : undefined}
          />
          <Figure label="Status" value={m.status} />
          <Figure
            label="Purchases"
            value={formatNumber(m.purchases)}
            note={m.lastActivityAt ? `last ${formatDateTime(m.lastActivityAt)}` : 'no activity yet'}
          />
        </div>
      </section>
      <section className="card" aria-labelledby="contact-title">
        <h2 id="contact-title">Contact details</h2>
        {m.contact ? (
          <table className="data-table">
            <caption className="visually-hidden">Contact details</caption>
            <tbody>
              <tr>
                <th scope="row">Name</th>
                <td>{[m.contact.firstName, m.contact.lastName].filter(Boolean).join(' ') || '—'}</td>
              </tr>
              <tr>
                <th scope="row">E-mail</th>
                <td>{m.contact.email ?? '—'}</td>
              </tr>
              <tr>
                <th scope="row">Phone</th>
                <td>{m.contact.phone ?? (m.phoneLast4 ? `…${m.phoneLast4}` : '—')}</td>
              </tr>
              <tr>
                <th scope="row">Birth month</th>
                <td>{m.birthMonth ?? '—'}</td>
              </tr>
            </tbody>
          </table>
        ) : (
          <p>HQ holds no contact details for this member.</p>
        )}
      </section>
      <section aria-labelledby="cards-title">
        <h2 id="cards-title">Cards</h2>
        <DataTable
          caption="Cards"
          captionHidden
          columns={CARD_COLUMNS}
          rows={profile.cards}
          rowKey={(c) => c.number}
          empty="No card."
        />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {profile.mergedFrom.length > 0 && (
          <p className="field-hint">Includes the events of merged members {profile.mergedFrom.join(', ')}.</p>
        )}
        <DataTable
          caption="History, newest first"
          captionHidden
          columns={eventColumns(m.id)}
          rows={profile.events}
          rowKey={(e) => e.id}
          empty="No event yet."
        />
        {profile.moreEvents && <p className="field-hint">Older events are in the member’s export.</p>}
      </section>
      <div className="card-grid">
        {may(membersEndpoints.adjustPoints) && profile.yourCreditCap !== null && (
          <AdjustCard memberId={m.id} cap={profile.yourCreditCap} onDone={onChanged} />
        )}
        {may(membersEndpoints.replaceCard) && (
          <ReplaceCardCard
            memberId={m.id}
            cards={profile.cards.filter((c) => c.status === 'active').map((c) => c.number)}
            onDone={onChanged}
          />
        )}
        {may(membersEndpoints.mergeMembers) && (
          <MergeCard memberId={m.id} suggested={profile.leftOnMerged[0]?.memberId ?? ''} onDone={onChanged} />
        )}
        {roleMayCall(membersEndpoints.exportMember, role) && <ExportCard memberId={m.id} />}
        {may(membersEndpoints.eraseMember) && (
          <EraseCard memberId={m.id} name={m.fullName ?? m.displayName} onDone={onChanged} />
        )}
      </div>
    </>
  );
}
