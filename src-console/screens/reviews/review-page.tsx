// One review item: what HQ found (kind, store, terminal, details, the points it holds), the events it
// names, the member's balance and latest events, and the decision: approve (held points are credited) or
// reject with a note saying why. Who may decide is the endpoint's roles; HQ checks the store again.
import { useState, type FormEvent } from 'react';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import { reviewsEndpoints } from '../../../src-shared/console/reviews.js';
import { Field } from '../../components/field.js';
import { formatDateTime, formatPoints } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';
import { EventTable } from './event-table.js';
import { decisionBadge, heldOf } from './review-words.js';

export function ReviewPage({ params, user }: PageProps) {
  const id = Number(params.id);
  const review = useConsoleQuery(reviewsEndpoints.review, { params: { id } }, [id]);
  const write = useConsoleWrite();
  const [note, setNote] = useState('');
  const [decided, setDecided] = useState<string | null>(null);
  const mayDecide = roleMayCall(reviewsEndpoints.approveReview, user.role);

  const decide = async (decision: 'approve' | 'reject', event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    const endpoint = decision === 'approve' ? reviewsEndpoints.approveReview : reviewsEndpoints.rejectReview;
    const body = note.trim() ? { note: note.trim() } : {};
    const done = await write.run(endpoint, { params: { id }, body: body });
    if (done) {
      setDecided(decision === 'approve' ? 'Approved.' : 'Rejected.');
      setNote('');
      review.reload();
    }
  };

  return (
    <>
      <PageHeader
        title={`Review item #${params.id ?? ''}`}
        actions={
          <Link to="reviews" className="button">
            Back to the queue
          </Link>
        }
      />
      <Loaded query={review}>
        {({ item, events, member, history }) => (
          <>
            <section className="card" aria-labelledby="review-what">
              <h2 id="review-what">What HQ found</h2>
              <dl>
                <dt>Kind</dt>
                <dd>{item.kind}</dd>
                <dt>Status</dt>
                <dd>{decisionBadge(item)}</dd>
                <dt>Store</dt>
                <dd>{item.storeId ?? 'HQ (no terminal)'}</dd>
                <dt>Terminal</dt>
                <dd>{item.terminalId ?? '—'}</dd>
                <dt>Opened</dt>
                <dd>
                  <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                </dd>
                <dt>Points held</dt>
                <dd>{heldOf(item) > 0 ? formatPoints(heldOf(item)) : 'None'}</dd>
                {item.status === 'resolved' && (
                  <>
                    <dt>Decided</dt>
                    <dd>
                      {item.decision ?? 'resolved'} by {item.resolvedBy ?? 'HQ'}
                      {item.resolvedAt ? `, ${formatDateTime(item.resolvedAt)}` : ''}
                    </dd>
                    <dt>Note</dt>
                    <dd>{item.note ?? '—'}</dd>
                  </>
                )}
              </dl>
              <details>
                <summary>Details as HQ recorded them</summary>
                <pre>{JSON.stringify(item.details, null, 2)}</pre>
              </details>
            </section>

            <section className="card" aria-labelledby="review-events">
              <h2 id="review-events">Its events</h2>
              <EventTable
                caption="Events this item names"
                events={events}
                empty="This item names no event HQ has."
              />
            </section>

            <section className="card" aria-labelledby="review-member">
              <h2 id="review-member">The member</h2>
              {member ? (
                <>
                  <dl>
                    <dt>Member</dt>
                    <dd>
                      {member.name ?? member.id}
                      {member.erased ? ' (erased)' : ''}
                    </dd>
                    <dt>Balance</dt>
                    <dd data-testid="member-balance">{formatPoints(member.balance)}</dd>
                    <dt>Tier</dt>
                    <dd>{member.tier ?? '—'}</dd>
                    <dt>Status</dt>
                    <dd>{member.status}</dd>
                  </dl>
                  <EventTable caption="The member's latest events" events={history} empty="No events." />
                </>
              ) : (
                <p>
                  {item.memberId ? `Member ${item.memberId} is not at HQ.` : 'This item names no member.'}
                </p>
              )}
            </section>

            {item.status === 'open' && mayDecide && (
              <form
                className="card form"
                aria-labelledby="review-decide"
                onSubmit={(e) => void decide('approve', e)}
              >
                <h2 id="review-decide">Decide</h2>
                {item.kind === 'card-unknown' && (
                  <p className="hint">
                    A till earned points on a card neither it nor HQ knew. Once the card is enrolled, or added
                    to the customer&apos;s member, approve: the points go to that member, at HQ&apos;s figure
                    for them. If the card will never be known, reject the item.
                  </p>
                )}
                <Field
                  label="Note"
                  hint="Why you decide so. Required to reject."
                  error={write.problems.note ?? null}
                >
                  {(control) => (
                    <textarea
                      {...control}
                      rows={3}
                      maxLength={500}
                      value={note}
                      onChange={(e) => setNote(e.target.value)}
                    />
                  )}
                </Field>
                {write.error && (
                  <p className="form-error" role="alert">
                    {write.error}
                  </p>
                )}
                <div className="form-actions">
                  <button type="submit" className="button button-primary" disabled={write.busy}>
                    {item.kind === 'card-unknown'
                      ? "Approve and credit the card's member"
                      : `Approve${heldOf(item) > 0 ? ` and credit ${formatPoints(heldOf(item))}` : ''}`}
                  </button>
                  <button
                    type="button"
                    className="button button-danger"
                    disabled={write.busy}
                    onClick={() => void decide('reject')}
                  >
                    Reject
                  </button>
                </div>
              </form>
            )}
            {decided && (
              <p className="notice" role="status">
                {decided}
              </p>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
