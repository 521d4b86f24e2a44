// The one bound on points. Every points field of an event or a program, and every balance, debt and
// total of a member, stays within ±MAX_POINTS: far above any real programme, low enough that sums of
// many such figures stay exact integers, so an absurd figure is refused at the boundary rather than
// wrapping or losing precision inside the projection.

/** |points| of any event field and any balance never exceed this (documented in program-format.md). */
export const MAX_POINTS = 1_000_000_000;
