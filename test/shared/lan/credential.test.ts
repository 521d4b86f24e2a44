// Terminal credentials (issue 16): HQ issues, a till admits only HQ's credential for a terminal of its store.
import { describe, expect, it } from 'vitest';
import {
  admitPeer,
  credentialMessage,
  issueCredential,
  verifyCredential,
} from '../../../src-shared/lan/credential.js';
import { keyPairFromSeed, publicKeyOf, signText, verifyText } from '../../../src-shared/lan/keys.js';
import { HQ, ISSUED_AT, OTHER_HQ, OTHER_STORE, STORE, seed, till, wire } from './builders.js';

const admit = { storeId: STORE, hqPublicKey: HQ.publicKey };

describe('Ed25519 keys', () => {
  it('derives the RFC 8032 public key of its first test vector', () => {
    const secret = Uint8Array.from(
      Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'),
    );
    expect(keyPairFromSeed(secret).publicKey).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    expect(publicKeyOf(secret)).toBe(keyPairFromSeed(secret).publicKey);
  });

  it('gives the same key for the same seed, another for another seed, and refuses a short seed', () => {
    expect(keyPairFromSeed(seed(7)).publicKey).toBe(keyPairFromSeed(seed(7)).publicKey);
    expect(keyPairFromSeed(seed(7)).publicKey).not.toBe(keyPairFromSeed(seed(8)).publicKey);
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow(RangeError);
  });

  it('keeps the seed it was given apart from the caller (a later change of the buffer does not reach it)', () => {
    const s = seed(9);
    const pair = keyPairFromSeed(s);
    s.fill(0);
    expect(publicKeyOf(pair.secretKey)).toBe(pair.publicKey);
  });

  it('verifies a signature only under the domain it was made in, and never throws on garbage', () => {
    const sig = signText('event', 'abc', HQ.secretKey);
    expect(verifyText('event', 'abc', sig, HQ.publicKey)).toBe(true);
    expect(verifyText('credential', 'abc', sig, HQ.publicKey)).toBe(false);
    expect(verifyText('event', 'abd', sig, HQ.publicKey)).toBe(false);
    expect(verifyText('event', 'abc', sig.toUpperCase(), HQ.publicKey)).toBe(false);
    expect(verifyText('event', 'abc', sig, 'zz')).toBe(false);
    // 32 bytes that are not a point of the curve
    expect(verifyText('event', 'abc', sig, 'ff'.repeat(32))).toBe(false);
    expect(verifyText('event', 'abc', '00'.repeat(64), HQ.publicKey)).toBe(false);
  });
});

describe('issueCredential and verifyCredential', () => {
  const t1 = till('t-1', 11);

  it('round-trips: HQ issues, the credential verifies with HQ key, also after the wire', () => {
    expect(t1.credential).toMatchObject({ terminalId: 't-1', storeId: STORE, issuedAt: ISSUED_AT });
    expect(t1.credential.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyCredential(t1.credential, HQ.publicKey)).toBe(true);
    expect(verifyCredential(wire(t1.credential), HQ.publicKey)).toBe(true);
  });

  it('signs the fields whatever their key order', () => {
    const { signature, ...fields } = t1.credential;
    const reversed = Object.fromEntries(Object.entries(fields).reverse()) as typeof fields;
    expect(credentialMessage(reversed)).toBe(credentialMessage(fields));
    expect(verifyCredential({ signature, ...reversed }, HQ.publicKey)).toBe(true);
  });

  it('does not verify with another HQ key, or a malformed HQ key', () => {
    expect(verifyCredential(t1.credential, OTHER_HQ.publicKey)).toBe(false);
    expect(verifyCredential(t1.credential, 'not a key')).toBe(false);
  });

  it('refuses to issue for invalid fields', () => {
    const fields = { terminalId: 't-1', storeId: STORE, publicKey: t1.keys.publicKey, issuedAt: ISSUED_AT };
    expect(() => issueCredential({ ...fields, publicKey: 'abc' }, HQ.secretKey)).toThrow();
    expect(() => issueCredential({ ...fields, terminalId: '' }, HQ.secretKey)).toThrow();
    expect(() => issueCredential({ ...fields, issuedAt: 'yesterday' }, HQ.secretKey)).toThrow();
  });
});

describe('admitPeer: a forged peer is refused', () => {
  const t1 = till('t-1', 11);

  it('admits HQ credential for a terminal of the same store', () => {
    expect(admitPeer(wire(t1.credential), admit)).toEqual({ ok: true, credential: t1.credential });
    expect(admitPeer(t1.credential, { ...admit, terminalId: 't-1' }).ok).toBe(true);
  });

  it('refuses a self-signed credential', () => {
    const self = till('t-9', 19, STORE, keyPairFromSeed(seed(19)));
    expect(admitPeer(self.credential, admit)).toEqual({ ok: false, reason: 'not-signed-by-hq' });
  });

  it("refuses a credential of another HQ, even for this store's id", () => {
    expect(admitPeer(till('t-1', 11, STORE, OTHER_HQ).credential, admit)).toEqual({
      ok: false,
      reason: 'not-signed-by-hq',
    });
  });

  it("refuses HQ's genuine credential of another store", () => {
    expect(admitPeer(till('t-5', 15, OTHER_STORE).credential, admit)).toEqual({
      ok: false,
      reason: 'other-store',
    });
  });

  it.each([
    ['storeId', { storeId: 's-3' }],
    ['terminalId', { terminalId: 't-2' }],
    ['publicKey', { publicKey: keyPairFromSeed(seed(66)).publicKey }],
    ['issuedAt', { issuedAt: '2026-12-01T08:00:01.000Z' }],
  ])('refuses a credential whose %s was changed after signing', (_field, change) => {
    expect(admitPeer({ ...t1.credential, ...change }, admit)).toEqual({
      ok: false,
      reason: 'not-signed-by-hq',
    });
  });

  it("refuses another store's credential moved into this store (the store id is signed)", () => {
    const other = till('t-5', 15, OTHER_STORE).credential;
    expect(admitPeer({ ...other, storeId: STORE }, admit)).toEqual({ ok: false, reason: 'not-signed-by-hq' });
  });

  it('refuses a genuine credential of another terminal than the one expected', () => {
    expect(admitPeer(t1.credential, { ...admit, terminalId: 't-2' })).toEqual({
      ok: false,
      reason: 'other-terminal',
    });
  });

  it('refuses a revoked key', () => {
    const revokedKeys = new Set([t1.keys.publicKey]);
    expect(admitPeer(t1.credential, { ...admit, revokedKeys })).toEqual({ ok: false, reason: 'revoked' });
    expect(admitPeer(till('t-2', 12).credential, { ...admit, revokedKeys }).ok).toBe(true);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'credential'],
    ['an extra field', { ...t1.credential, role: 'hq' }],
    ['no signature', { ...t1.credential, signature: undefined }],
    ['an upper-case signature', { ...t1.credential, signature: t1.credential.signature.toUpperCase() }],
    ['a short key', { ...t1.credential, publicKey: t1.keys.publicKey.slice(2) }],
    ['an over-long terminal id', { ...t1.credential, terminalId: 'x'.repeat(65) }],
  ])('refuses %s as malformed', (_what, credential) => {
    expect(admitPeer(credential, admit)).toEqual({ ok: false, reason: 'malformed' });
  });

  it("refuses an event signature presented as HQ's signature of a credential (domain separation)", () => {
    const { signature: _s, ...fields } = t1.credential;
    const eventDomain = signText('event', credentialMessage(fields), HQ.secretKey);
    expect(admitPeer({ ...fields, signature: eventDomain }, admit)).toEqual({
      ok: false,
      reason: 'not-signed-by-hq',
    });
  });
});
