// NFC card UIDs as USB/serial NFC readers type them. Readers differ (hex with or without separators, some
// add a prefix), so one convention is accepted and the UID is always reported as upper-case hex:
//   - `NFC:` (any case) then the UID: the recommended reader setting, unambiguous;
//   - or 4, 7 or 10 hex byte pairs separated by one kind of `:`, `-` or space (`04:A2:3B:…`);
//   - or 8, 14 or 20 bare hex digits with at least one letter A–F. All-digit bare strings are left to the
//     barcode rules: `12345678` is an EAN-8 as much as a UID, and a number must stay a number.
import { err, ok, type Result } from '../kernel/result.js';

export const NFC_PREFIX = /^NFC:\s*/i;
const UID_BYTES = [4, 7, 10];

function uidFromBody(body: string): string | undefined {
  const sep = /^[0-9A-Fa-f]{2}([:\- ])/.exec(body)?.[1];
  const hex =
    sep !== undefined
      ? body.split(sep).every((b) => /^[0-9A-Fa-f]{2}$/.test(b))
        ? body.split(sep).join('')
        : undefined
      : /^(?:[0-9A-Fa-f]{2})+$/.test(body)
        ? body
        : undefined;
  return hex !== undefined && UID_BYTES.includes(hex.length / 2) ? hex.toUpperCase() : undefined;
}

/**
 * The UID in an NFC reader frame, upper-case hex; `undefined` if the frame does not look like one; a
 * failure if it carries the `NFC:` prefix but no 4-, 7- or 10-byte UID.
 */
export function parseNfcUid(frame: string): Result<string, string> | undefined {
  const prefixed = NFC_PREFIX.exec(frame);
  if (prefixed !== null) {
    const uid = uidFromBody(frame.slice(prefixed[0].length));
    return uid !== undefined ? ok(uid) : err('an NFC UID has 4, 7 or 10 bytes');
  }
  if (!/^[0-9A-Fa-f]{2}[:\- ]/.test(frame) && !/[A-Fa-f]/.test(frame)) return undefined;
  const uid = uidFromBody(frame);
  return uid !== undefined ? ok(uid) : undefined;
}
