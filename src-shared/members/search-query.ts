// What one search box of the console's member search means: the same text can be a card number, a phone
// number, an e-mail address or a name. Pure, so the store only runs the lookups this decides on.
//
// - A card number is tried on any text (an exact match is one index probe), as typed and without its
//   spaces and dashes (cards are printed in groups).
// - A phone number is tried when the text is only digits, spaces, `+ ( ) . -` with 6 to 15 digits; the
//   store turns it into the chain's phone lookup key (never a plain phone in a query).
// - An e-mail address when the text has an `@` (a prefix of the address, case-insensitive).
// - A name otherwise (a prefix of the first name, the last name, or "first last").
export interface MemberSearchPlan {
  /** Card numbers to match exactly. */
  cards: string[];
  /** The phone as typed, to normalise in each of the chain's countries; null: not a phone. */
  phone: string | null;
  /** A lower-case prefix of an e-mail address; null: not an e-mail. */
  email: string | null;
  /** Lower-case words the name starts with (one or two); null: not a name. */
  name: string[] | null;
}

const PHONE_LIKE = /^\+?[\d\s().-]+$/;
const LETTER = /\p{L}/u;

export function planMemberSearch(text: string): MemberSearchPlan {
  const q = text.trim().replace(/\s+/g, ' ');
  const compact = q.replace(/[\s-]/g, '');
  const cards = [...new Set([q, compact])].filter((c) => c.length > 0 && c.length <= 64);
  const digits = q.replace(/\D/g, '').length;
  const phone = PHONE_LIKE.test(q) && digits >= 6 && digits <= 15 ? q : null;
  const email = q.includes('@') ? q.toLowerCase() : null;
  const name =
    email === null && LETTER.test(q) ? q.toLowerCase().split(' ').filter(Boolean).slice(0, 2) : null;
  return { cards, phone, email, name };
}

/** Escapes `%`, `_` and `\` for a LIKE pattern (the store appends its own `%`). */
export const likePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
