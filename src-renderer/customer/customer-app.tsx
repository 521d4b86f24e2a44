// The customer-facing display: what the customer in front of the counter reads while the cashier works
// (src-shared/ipc/customer-view.ts is all it ever knows). A welcome while nobody is served; then the
// member's first name and points, the basket as it is scanned with the points this purchase earns, the
// next reward within reach, and a thank-you once a sale, a reward or an enrollment is recorded. Nothing
// here takes input: no buttons, no fields, no PIN pad.
import { useEffect, useState } from 'react';
import type { CustomerView } from '../../src-shared/ipc/customer-view.js';
import { formatPoints, moneyText, pointsText } from '../hooks/format.js';
import type { CustomerViewSource } from './source.js';

/** Basket lines shown: the latest ones, the rest counted above them. */
export const SHOWN_LINES = 8;

export function CustomerApp(props: { source: CustomerViewSource }) {
  const [view, setView] = useState<CustomerView | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const offView = props.source.onView(setView);
    const offConnection = props.source.onConnection(setConnected);
    return () => {
      offView();
      offConnection();
    };
  }, [props.source]);
  return <CustomerScreen view={view} connected={connected} />;
}

/** What the customer sees for a view (null: nothing heard from the counter yet). */
export function CustomerScreen(props: { view: CustomerView | null; connected: boolean }) {
  const { view } = props;
  const programName = view?.programName ?? null;
  return (
    <main className="customer" aria-label="Customer display">
      <header className="customer-head">
        <p className="customer-program">{programName ?? 'Loyalty'}</p>
        {props.connected ? null : <span className="customer-offline" aria-hidden="true" />}
      </header>
      {view?.member ? <Served view={view} member={view.member} /> : <Welcome programName={programName} />}
    </main>
  );
}

function Welcome(props: { programName: string | null }) {
  return (
    <section className="customer-welcome" aria-label="Welcome">
      <h1>Welcome{props.programName ? ` to ${props.programName}` : ''}</h1>
      <p>Show your loyalty card to collect points on this purchase.</p>
    </section>
  );
}

function Served(props: { view: CustomerView; member: NonNullable<CustomerView['member']> }) {
  const { view, member } = props;
  const { sale, done } = view;
  const after = sale?.points !== null && sale?.points !== undefined ? member.balance + sale.points : null;
  return (
    <div className="customer-body">
      <section className="customer-member" aria-label="Your points">
        <h1>{member.firstName ? `Hello, ${member.firstName}` : 'Hello'}</h1>
        <p className="customer-balance">
          <span className="customer-label">Your points</span>
          <strong>{formatPoints(member.balance)}</strong>
        </p>
        {done ? <Thanks done={done} /> : null}
        {member.nextReward ? <NextReward reward={member.nextReward} /> : null}
      </section>
      {sale ? (
        <section className="customer-sale" aria-label="Your purchase">
          <h2>Your purchase</h2>
          {sale.lines.length > SHOWN_LINES ? (
            <p className="customer-more">
              {sale.lines.length - SHOWN_LINES} more{' '}
              {sale.lines.length - SHOWN_LINES === 1 ? 'item' : 'items'} above
            </p>
          ) : null}
          <ul className="customer-lines" aria-label="Basket">
            {sale.lines.slice(-SHOWN_LINES).map((line, i) => (
              <li key={i} className="customer-line">
                <span className="customer-line-name">{line.name}</span>
                <span className="customer-line-qty">{line.quantity > 1 ? `× ${line.quantity}` : ''}</span>
                <span className="customer-line-total">{moneyText(line.total, sale.currency)}</span>
              </li>
            ))}
          </ul>
          {sale.lines.length === 0 ? <p className="customer-empty">Nothing scanned yet.</p> : null}
          <p className="customer-total">
            <span>Total</span>
            <strong>{moneyText(sale.total, sale.currency)}</strong>
          </p>
          <p className="customer-earn" aria-label="Points this purchase earns">
            {sale.points === null ? (
              'Counting your points…'
            ) : (
              <>
                This purchase earns <strong>{pointsText(sale.points)}</strong>
                {after !== null ? <span className="customer-after"> · then {pointsText(after)}</span> : null}
              </>
            )}
          </p>
        </section>
      ) : null}
    </div>
  );
}

function Thanks(props: { done: NonNullable<CustomerView['done']> }) {
  const { done } = props;
  const text =
    done.kind === 'earn'
      ? `Thank you! You earned ${pointsText(done.points)}.`
      : done.kind === 'redeem'
        ? `Enjoy your reward${done.reward ? `: ${done.reward}` : ''}.`
        : done.points > 0
          ? `Welcome aboard! ${pointsText(done.points)} to start with.`
          : 'Welcome aboard!';
  return (
    <p className="customer-thanks" role="status">
      {text}
    </p>
  );
}

function NextReward(props: { reward: NonNullable<NonNullable<CustomerView['member']>['nextReward']> }) {
  const { reward } = props;
  return (
    <p className="customer-next" aria-label="Next reward">
      {reward.missing > 0 ? (
        <>
          <strong>{pointsText(reward.missing)}</strong> to go for <strong>{reward.label}</strong>
        </>
      ) : (
        <>
          You can have <strong>{reward.label}</strong> ({pointsText(reward.cost)}): ask at the counter
        </>
      )}
    </p>
  );
}
