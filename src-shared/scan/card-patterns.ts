// Loyalty card numbers are whatever the program says they are (program `cards.patterns`): this applies those
// patterns to what a barcode, a stripe or an NFC reader delivered.
import { defaultCardPatterns, type CardPattern } from '../program/schema.js';
import { isValidGtin } from './check-digits.js';
import type { CardMedium } from './result.js';

// The pattern format belongs to the program document; re-exported so device code needs one import.
export { cardPatternSchema, defaultCardPatterns, type CardPattern } from '../program/schema.js';

/**
 * The patterns a terminal classifies scans with: its current program's, or the program format's defaults
 * while it has no usable program. Both scan paths take them from here (serial frames in main, whose copy
 * of the program's patterns is src-main/host/card-pattern-follower.ts; keyboard-wedge scans in the renderer).
 */
export function cardPatternsOf(
  program: { readonly cards: { readonly patterns: readonly CardPattern[] } } | null,
): readonly CardPattern[] {
  return program?.cards.patterns ?? defaultCardPatterns();
}

export interface CardMatch {
  number: string;
  patternId: string;
}

// Patterns come from a validated program and rarely change: compile each source once. A pattern that does
// not compile (a program that skipped validation) never matches.
const compiled = new Map<string, RegExp | null>();
function regexFor(source: string): RegExp | null {
  let re = compiled.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`);
    } catch {
      re = null;
    }
    if (compiled.size > 256) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** The 13-digit EAN a barcode's text stands for, UPC-A read as 0 + 12 digits; only with a valid check digit. */
function ean13Of(text: string): string | undefined {
  const ean = /^\d{12}$/.test(text) ? `0${text}` : text;
  return /^\d{13}$/.test(ean) && isValidGtin(ean) ? ean : undefined;
}

/** The first of `patterns` (in program order) that `text`, read by `via`, matches. */
export function matchCardPattern(
  patterns: readonly CardPattern[],
  text: string,
  via: CardMedium,
): CardMatch | undefined {
  for (const p of patterns) {
    if (p.kind === 'ean13-prefix') {
      const ean = via === 'barcode' ? ean13Of(text) : undefined;
      if (ean?.startsWith(p.prefix)) return { number: ean, patternId: p.id };
    } else if (p.kind === 'magstripe-prefix') {
      if (via === 'magstripe' && text.startsWith(p.prefix)) return { number: text, patternId: p.id };
    } else if ((p.via === undefined || p.via === via) && regexFor(p.pattern)?.test(text) === true) {
      return { number: text, patternId: p.id };
    }
  }
  return undefined;
}
