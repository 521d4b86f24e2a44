// The member's points: the total the cashier reads out, and how much of it HQ has confirmed. Pending
// points are this terminal's recordings HQ has not posted yet (they count already). Points about to expire
// are said, so the cashier can suggest spending them.
import type { ShownMember } from '../services/index.js';
import { formatPoints, pointsText } from '../hooks/format.js';
import { useCounterText } from '../i18n/index.js';

/** How far ahead the counter warns of expiring points. */
export const EXPIRING_SOON_DAYS = 30;

export function BalancePanel(props: {
  shown: ShownMember;
  offlineAllowance: number | null;
  /** Points that will have expired within EXPIRING_SOON_DAYS (the engine's expiringSoon). */
  expiringSoon?: number;
}) {
  const { balance, member, provisional } = props.shown;
  const t = useCounterText();
  return (
    <section className="balance" aria-label={t('member.balance.title')}>
      <h2 className="section-title">{t('member.balance.title')}</h2>
      <p className="balance-total">
        {pointsText(balance.total)}
        {balance.pending !== 0 ? (
          <span className="balance-pending">
            {' '}
            {t('member.balance.pending', { points: formatPoints(balance.pending) })}
          </span>
        ) : null}
      </p>
      <p className="balance-detail">
        {provisional
          ? t('member.balance.provisional')
          : t('member.balance.confirmed', { points: pointsText(balance.confirmed) })}
      </p>
      {member.debt > 0 ? (
        <p className="balance-detail balance-debt">
          {t('member.balance.owes', { points: pointsText(member.debt) })}
        </p>
      ) : null}
      {props.expiringSoon ? (
        <p className="balance-detail balance-expiring">
          {t('member.balance.expiring', { points: pointsText(props.expiringSoon), days: EXPIRING_SOON_DAYS })}
        </p>
      ) : null}
      {props.offlineAllowance !== null ? (
        <p className="balance-offline">
          {t('member.balance.offlineAllowance', { points: pointsText(props.offlineAllowance) })}
        </p>
      ) : null}
    </section>
  );
}
