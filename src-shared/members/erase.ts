// Erasure (GDPR art. 17) of a member's personal data from the events HQ keeps. Events stay (the ledger,
// balances and reports are folds of them); their personal fields are replaced: the enrollment's display
// name by the member's pseudonym, its phone lookup key, last four digits, birth month, card numbers and
// contact profile removed; a member-updated event likewise. Points, ids, times and baskets (which carry no
// personal data) are kept, so a replay of the redacted events gives the same balances.
//
// The stored hash of a redacted event no longer matches its content: HQ keeps the hash (the chain's
// links stay as the terminal sealed them) and never re-checks a settled event's content against it (a
// replay applies settled events at their recorded figures). Free text staff wrote (an adjustment's
// note, a void's reason) is not personal data the member gave and is kept.
import type { LedgerEvent } from '../ledger/events.js';

/** The name an erased member is shown under: stable per member, says nothing about the person. */
export const erasedName = (memberId: string): string => `Erased ${memberId.slice(-6)}`;

/** The event with the member's personal fields removed (the same object when it has none). */
export function redactEvent(event: LedgerEvent, pseudonym: string): LedgerEvent {
  switch (event.type) {
    case 'member-enrolled':
      return {
        ...event,
        payload: {
          ...event.payload,
          displayName: pseudonym,
          phoneHash: null,
          phoneLast4: null,
          birthMonth: null,
          cards: [],
          profile: null,
        },
      };
    case 'member-updated': {
      const p = { ...event.payload };
      if (p.displayName !== undefined) p.displayName = pseudonym;
      if (p.phoneHash !== undefined) p.phoneHash = null;
      if (p.phoneLast4 !== undefined) p.phoneLast4 = null;
      if (p.birthMonth !== undefined) p.birthMonth = null;
      if (p.addCards !== undefined) p.addCards = [];
      if (p.removeCards !== undefined) p.removeCards = [];
      return { ...event, payload: p };
    }
    default:
      return event;
  }
}

/** Whether an event carries personal fields redactEvent removes. */
export const carriesPersonalData = (event: LedgerEvent): boolean =>
  event.type === 'member-enrolled' || event.type === 'member-updated';
