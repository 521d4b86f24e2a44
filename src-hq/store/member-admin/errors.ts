// The member administration's refusals, each with a stable code the console's handler maps to a status.
/** No such member at HQ. */
export class UnknownMemberError extends Error {
  override readonly name = 'UnknownMemberError';
  constructor(readonly memberId: string) {
    super(`There is no member ${memberId}.`);
  }
}

export type MemberActionCode =
  | 'not-allowed'
  | 'over-cap'
  | 'over-balance'
  | 'zero'
  | 'member-gone'
  | 'not-this-members-card'
  | 'card-blocked'
  | 'card-taken'
  | 'same-member'
  | 'already-erased'
  | 'no-program';

/** An action the member's state or the rules refuse; nothing was changed. */
export class MemberActionError extends Error {
  override readonly name = 'MemberActionError';
  constructor(
    readonly code: MemberActionCode,
    message: string,
  ) {
    super(message);
  }
}
