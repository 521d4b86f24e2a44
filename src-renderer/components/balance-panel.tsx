// The member's points: the total the cashier reads out, and how much of it HQ has confirmed. Pending
// points are this terminal's recordings HQ has not posted yet (they count already). Points about to expire
// are said, so the cashier can suggest spending them.
import type { ShownMember } from '../services/index.js';
import { formatPoints, pointsText } from '../hooks/format.js';

/** How far ahead the counter warns of expiring points. */
export const EXPIRING_SOON_DAYS = 30;

export function BalancePanel(props: {
  shown: ShownMember;
  offlineAllowance: number | null;
  /** Points that will have expired within EXPIRING_SOON_DAYS (the engine's expiringSoon). */
  expiringSoon?: number;
}) {
  const { balance, member, provisional } = props.shown;
  return (
    <section className="balance" aria-label="Balance">
      <h2 className="section-title">Balance</h2>
      <p className="balance-total">
        {pointsText(balance.total)}
        {balance.pending !== 0 ? (
          <span className="balance-pending"> ({formatPoints(balance.pending)} pending)</span>
        ) : null}
      </p>
      <p className="balance-detail">
        {provisional
          ? 'New member: HQ has not confirmed any points yet.'
          : `Confirmed by HQ: ${pointsText(balance.confirmed)}`}
      </p>
      {member.debt > 0 ? (
        <p className="balance-detail balance-debt">
          Owes {pointsText(member.debt)}: taken from the next points earned.
        </p>
      ) : null}
      {props.expiringSoon ? (
        <p className="balance-detail balance-expiring">
          {pointsText(props.expiringSoon)} expire within {EXPIRING_SOON_DAYS} days
        </p>
      ) : null}
      {props.offlineAllowance !== null ? (
        <p className="balance-offline">Offline allowance: {pointsText(props.offlineAllowance)}</p>
      ) : null}
    </section>
  );
}
