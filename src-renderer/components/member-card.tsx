// One member in a list of search results: a big button with the name, the card's and phone's last digits,
// since when they are a member and the balance, enough to tell eight "Jack B." apart.
import type { ShownMember } from '../services/index.js';
import { formatMonthYear, pointsText } from '../hooks/format.js';
import { maskedCard } from '../hooks/scan-outcome.js';
import { useCounterText } from '../i18n/index.js';

export function MemberResult(props: { shown: ShownMember; onOpen: () => void; timeZone?: string | null }) {
  const { member, balance } = props.shown;
  const t = useCounterText();
  const details = [
    member.cards[0] ? t('idle.memberResult.card', { card: maskedCard(member.cards[0]) }) : null,
    member.phoneLast4 ? t('idle.memberResult.phone', { last4: member.phoneLast4 }) : null,
    t('idle.memberResult.since', {
      when: formatMonthYear(Date.parse(member.enrolledAt), props.timeZone),
    }),
    pointsText(balance.total),
  ].filter(Boolean);
  return (
    <button type="button" className="member-result" onClick={props.onOpen}>
      <span className="member-result-name">{member.displayName || t('idle.memberResult.member')}</span>
      <span className="member-result-details">{details.join(' · ')}</span>
    </button>
  );
}
