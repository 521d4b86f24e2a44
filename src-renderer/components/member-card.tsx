// One member in a list of search results: a big button with the name, the card's last digits and the
// balance, enough to tell two "Sean M." apart.
import type { ShownMember } from '../services/index.js';
import { pointsText } from '../hooks/format.js';
import { maskedCard } from '../hooks/scan-outcome.js';

export function MemberResult(props: { shown: ShownMember; onOpen: () => void }) {
  const { member, balance } = props.shown;
  const details = [
    member.cards[0] ? `card ${maskedCard(member.cards[0])}` : null,
    member.phoneLast4 ? `phone …${member.phoneLast4}` : null,
    pointsText(balance.total),
  ].filter(Boolean);
  return (
    <button type="button" className="member-result" onClick={props.onOpen}>
      <span className="member-result-name">{member.displayName || 'Member'}</span>
      <span className="member-result-details">{details.join(' · ')}</span>
    </button>
  );
}
