// ISO 7813 tracks: one or both, with or without LRC, cut short or overlong; financial tracks come back as
// brand and last four only.
import { describe, expect, it } from 'vitest';
import { parseTracks } from '../../../src-shared/scan/magstripe.js';

/** The LRC a reader would send: XOR of the characters' data bits, sentinels included. */
function lrc(track: string): string {
  const base = track.startsWith('%') ? 0x20 : 0x30;
  const mask = track.startsWith('%') ? 0x3f : 0x0f;
  let x = 0;
  for (const c of track) x ^= (c.charCodeAt(0) - base) & mask;
  return String.fromCharCode(x + base);
}

const T1 = '%N7012345678^SMITH/ANNA^99121010000?';
const T2 = ';7012345678=9912101?';

describe('parseTracks', () => {
  it('reads a non-financial track 1: format code, number, name', () => {
    expect(parseTracks(T1)).toEqual({
      ok: true,
      value: [{ track: 1, financial: false, formatCode: 'N', number: '7012345678', name: 'SMITH/ANNA' }],
    });
  });

  it('reads a track 2 with a private number', () => {
    expect(parseTracks(T2)).toEqual({
      ok: true,
      value: [{ track: 2, financial: false, number: '7012345678' }],
    });
  });

  it('reads track 1 then track 2 in one frame, with or without LRCs', () => {
    for (const frame of [T1 + T2, T1 + lrc(T1) + T2, T1 + T2 + lrc(T2), T1 + lrc(T1) + T2 + lrc(T2)]) {
      const r = parseTracks(frame);
      expect(r.ok && r.value.map((t) => t.track)).toEqual([1, 2]);
    }
  });

  it('refuses a wrong LRC', () => {
    const wrong = String.fromCharCode(lrc(T2).charCodeAt(0) ^ 1);
    expect(parseTracks(T2 + wrong).ok).toBe(false);
  });

  it('accepts and drops a track 3', () => {
    const r = parseTracks(`${T1}${T2};011234567890123=1234?`);
    expect(r.ok && r.value.map((t) => t.track)).toEqual([1, 2]);
  });

  it('refuses truncated tracks (no end sentinel)', () => {
    expect(parseTracks('%N7012345678^SMITH/ANNA^9912')).toEqual({
      ok: false,
      error: 'track 1 has no end sentinel',
    });
    expect(parseTracks(`${T1};7012345678=99`)).toEqual({ ok: false, error: 'track 2 has no end sentinel' });
  });

  it('refuses overlong tracks, foreign characters, wrong order and stray data', () => {
    expect(parseTracks(`%N${'1'.repeat(77)}?`).ok).toBe(false); // 80 characters
    expect(parseTracks(`%N${'1'.repeat(76)}?`).ok).toBe(true); // 79
    expect(parseTracks(`;${'1'.repeat(39)}?`).ok).toBe(false); // 41
    expect(parseTracks('%Nabc^x?').ok).toBe(false); // lower case is outside track 1's set
    expect(parseTracks(';12A4=1?').ok).toBe(false);
    expect(parseTracks(T2 + T1).ok).toBe(false);
    expect(parseTracks(`${T1}xx${T2}`).ok).toBe(false);
    expect(parseTracks('%?').ok).toBe(false);
    expect(parseTracks('%1ABC?').ok).toBe(false); // no format code
    expect(parseTracks('%N^NAME?').ok).toBe(false); // no number
    expect(parseTracks(';=1234?').ok).toBe(false);
  });

  it('reports a financial track 1 (format B) and a payment track 2 by brand and last four only', () => {
    const r = parseTracks('%B4111111111111111^DOE/JOHN^2512101?;4111111111111111=2512101?');
    expect(r).toEqual({
      ok: true,
      value: [
        { track: 1, financial: true, brand: 'visa', last4: '1111' },
        { track: 2, financial: true, brand: 'visa', last4: '1111' },
      ],
    });
    expect(JSON.stringify(r)).not.toContain('4111111111111111');
  });

  it('treats format B as financial even when its number fails Luhn', () => {
    expect(parseTracks('%B1234567890123^DOE/JOHN^2512?')).toEqual({
      ok: true,
      value: [{ track: 1, financial: true, brand: 'unknown', last4: '0123' }],
    });
  });
});
