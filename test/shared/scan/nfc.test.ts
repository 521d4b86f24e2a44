// The NFC UID convention: `NFC:` prefix, separated byte pairs, or bare hex with a letter; always upper case.
import { describe, expect, it } from 'vitest';
import { parseNfcUid } from '../../../src-shared/scan/nfc.js';

describe('parseNfcUid', () => {
  it.each([
    ['NFC:04A23B4C5D6E7F', '04A23B4C5D6E7F'],
    ['nfc: 04:a2:3b:4c:5d:6e:7f', '04A23B4C5D6E7F'],
    ['NFC:12345678', '12345678'],
    ['NFC:0102030405060708090A', '0102030405060708090A'],
    ['04:A2:3B:4C', '04A23B4C'],
    ['04-a2-3b-4c-5d-6e-7f', '04A23B4C5D6E7F'],
    ['04 A2 3B 4C 5D 6E 7F 80 91 A2', '04A23B4C5D6E7F8091A2'],
    ['12:34:56:78', '12345678'],
    ['deadbeef', 'DEADBEEF'],
    ['04a23b4c5d6e7f', '04A23B4C5D6E7F'],
  ])('%s → %s', (frame, uid) => {
    expect(parseNfcUid(frame)).toEqual({ ok: true, value: uid });
  });

  it('refuses an NFC: frame without a 4-, 7- or 10-byte UID', () => {
    for (const frame of [
      'NFC:',
      'NFC:0102',
      'NFC:0102030405',
      'NFC:01:02:03:04:05',
      'NFC:0G020304',
      'NFC:01:02-03:04',
    ])
      expect(parseNfcUid(frame)).toEqual({ ok: false, error: 'an NFC UID has 4, 7 or 10 bytes' });
  });

  it('leaves numbers and text to the barcode rules', () => {
    for (const frame of [
      '12345678',
      '04123456789012',
      'HELLO',
      'ABCDEF',
      '01:02:03',
      'CAFE 12',
      '12:34:56:7',
    ])
      expect(parseNfcUid(frame)).toBeUndefined();
  });
});
