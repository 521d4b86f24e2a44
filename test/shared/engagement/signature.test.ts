// The webhook signature: the same HMAC node:crypto computes from the documented recipe, verified only with
// the right secret, the unchanged body and a timestamp within the tolerance.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../../src-shared/engagement/signature.js';

const SECRET = 'whsec_test';
const AT = Date.parse('2025-03-10T12:00:00.500Z');
const BODY = '{"members":[{"name":"Zoë"}]}';

describe('webhook signature', () => {
  it('is t=<seconds>,v1=<HMAC-SHA256 of "t.body"> as the docs tell receivers', () => {
    const t = Math.floor(AT / 1000);
    const expected = createHmac('sha256', SECRET).update(`${t}.${BODY}`, 'utf8').digest('hex');
    expect(signatureHeader(SECRET, AT, BODY)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies with the right secret and body only', () => {
    const header = signatureHeader(SECRET, AT, BODY);
    expect(verifySignature(SECRET, header, BODY, AT)).toBe(true);
    expect(verifySignature('whsec_other', header, BODY, AT)).toBe(false);
    expect(verifySignature(SECRET, header, BODY.replace('Zoë', 'Zoe'), AT)).toBe(false);
    expect(verifySignature(SECRET, 'v1=abc', BODY, AT)).toBe(false);
  });

  it('refuses a timestamp outside the tolerance (a replay)', () => {
    // The header carries whole seconds: the tolerance counts from there.
    const signedAt = Math.floor(AT / 1000) * 1000;
    const header = signatureHeader(SECRET, AT, BODY);
    expect(verifySignature(SECRET, header, BODY, signedAt + 5 * 60_000)).toBe(true);
    expect(verifySignature(SECRET, header, BODY, signedAt + 5 * 60_000 + 1)).toBe(false);
    expect(verifySignature(SECRET, header, BODY, signedAt - 5 * 60_000 - 1)).toBe(false);
  });
});
