// ISO/IEC 7813 magnetic stripe tracks as a card reader sends them. Loyalty cards with a stripe use a
// non-financial track 1 format code or a private number on track 2; anything financial is reported only as
// brand and last four digits, so no caller of this module ever receives a full card number.
import { err, ok, type Result } from '../kernel/result.js';
import { isPaymentCardNumber, paymentBrand, type PaymentBrand } from './check-digits.js';

export type Track =
  | { track: 1; financial: false; formatCode: string; number: string; name?: string }
  | { track: 2; financial: false; number: string }
  | { track: 1 | 2; financial: true; brand: PaymentBrand | 'unknown'; last4?: string };

const MAX_LENGTH = { 1: 79, 2: 40, 3: 107 } as const;

/** Track 1 is 6-bit (0x20–0x5F), tracks 2 and 3 are 4-bit (0x30–0x3F); both minus their sentinels. */
const charsetOk = (track: 1 | 2 | 3, body: string): boolean =>
  track === 1 ? /^[\x20-\x24\x26-\x3e\x40-\x5f]*$/.test(body) : /^[\x30-\x3a\x3c-\x3e]*$/.test(body);

/** The longitudinal redundancy check: XOR of every character's data bits, sentinels included. */
function lrcOf(track: 1 | 2 | 3, raw: string): string {
  const base = track === 1 ? 0x20 : 0x30;
  let x = 0;
  for (let i = 0; i < raw.length; i++) x ^= (raw.charCodeAt(i) - base) & (track === 1 ? 0x3f : 0x0f);
  return String.fromCharCode(x + base);
}

function financial(track: 1 | 2, digits: string): Track {
  const t: Track = { track, financial: true, brand: paymentBrand(digits) ?? 'unknown' };
  if (digits.length >= 4) t.last4 = digits.slice(-4);
  return t;
}

function readTrack1(body: string): Result<Track, string> {
  const formatCode = body.charAt(0);
  if (!/^[A-Z]$/.test(formatCode)) return err('track 1 has no format code');
  const fields = body.slice(1).split('^');
  // Format B is financial by definition (ISO/IEC 7813): refused whatever its number looks like.
  if (formatCode === 'B') return ok(financial(1, (fields[0] ?? '').replace(/\D/g, '')));
  const number = (fields[0] ?? '').trim();
  if (number === '') return err('track 1 has no number');
  const name = fields[1]?.trim();
  return ok({ track: 1, financial: false, formatCode, number, ...(name ? { name } : {}) });
}

function readTrack2(body: string): Result<Track, string> {
  const number = body.split('=')[0] ?? '';
  if (!/^\d{1,19}$/.test(number)) return err('track 2 has no number');
  if (isPaymentCardNumber(number)) return ok(financial(2, number));
  return ok({ track: 2, financial: false, number });
}

/**
 * Parses one swipe: track 1 (`%…?`), track 2 (`;…?`) or both in that order, optionally followed by track 3,
 * each optionally followed by its LRC character (checked when present). A missing end sentinel (a swipe cut
 * short), a track over its ISO length, or a character outside the track's set is a failure. Track 3 is
 * checked for shape and dropped.
 */
export function parseTracks(text: string): Result<Track[], string> {
  const tracks: Track[] = [];
  let seen = 0;
  let i = 0;
  while (i < text.length) {
    const start = text[i];
    const track: 1 | 2 | 3 = start === '%' ? 1 : seen >= 2 ? 3 : 2;
    if ((start !== '%' && start !== ';') || track <= seen) return err('unexpected data between tracks');
    const end = text.indexOf('?', i + 1);
    if (end < 0) return err(`track ${track} has no end sentinel`);
    const raw = text.slice(i, end + 1);
    const body = raw.slice(1, -1);
    if (raw.length > MAX_LENGTH[track]) return err(`track ${track} is too long`);
    if (body === '' || !charsetOk(track, body)) return err(`track ${track} holds invalid characters`);
    if (track !== 3) {
      const read = track === 1 ? readTrack1(body) : readTrack2(body);
      if (!read.ok) return read;
      tracks.push(read.value);
    }
    seen = track;
    i = end + 1;
    // An LRC is one character; it is told from the next track's start sentinel by what follows it.
    const next = text[i];
    if (next !== undefined && next === lrcOf(track, raw)) {
      const after = text[i + 1];
      if (after === undefined || after === '%' || after === ';') i++;
    }
  }
  return tracks.length > 0 ? ok(tracks) : err('no track');
}
