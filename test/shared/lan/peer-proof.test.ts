// Proof of key possession (issue 16): a credential is public, so a peer is admitted only when it also signs
// the serving till's fresh challenge with the credential's key.
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed, signText } from '../../../src-shared/lan/keys.js';
import {
  admitProvenPeer,
  proofMessage,
  provePeer,
  type ProofContext,
} from '../../../src-shared/lan/peer-proof.js';
import { HQ, OTHER_STORE, STORE, seed, till, wire } from './builders.js';

const a = till('t-a', 21);
const context: ProofContext = { challenge: '5a'.repeat(32), verifierTerminalId: 't-b' };
const admit = { storeId: STORE, hqPublicKey: HQ.publicKey };

describe('admitProvenPeer', () => {
  it("admits a till that signs the challenge with its credential's key", () => {
    const hello = provePeer(context, a.credential, a.keys.secretKey);
    expect(admitProvenPeer(wire(hello), context, admit)).toEqual({ ok: true, credential: a.credential });
    const bound = { ...context, channel: 'tls-exporter:0f0e' };
    expect(admitProvenPeer(provePeer(bound, a.credential, a.keys.secretKey), bound, admit).ok).toBe(true);
  });

  it("refuses a device replaying a till's credential without its key", () => {
    const stolen = provePeer(context, a.credential, keyPairFromSeed(seed(77)).secretKey);
    expect(admitProvenPeer(stolen, context, admit)).toEqual({ ok: false, reason: 'bad-proof' });
  });

  it.each([
    ['another challenge', { ...context, challenge: '5b'.repeat(32) }],
    ['another serving till', { ...context, verifierTerminalId: 't-c' }],
    ['another channel', { ...context, channel: 'tls-exporter:0f0f' }],
  ])('refuses a proof made for %s', (_what, other) => {
    const hello = provePeer(other, a.credential, a.keys.secretKey);
    expect(admitProvenPeer(hello, context, admit)).toEqual({ ok: false, reason: 'bad-proof' });
  });

  it('refuses a credential signature or an event-domain signature presented as the proof', () => {
    const asEvent = signText('event', proofMessage(context, 't-a'), a.keys.secretKey);
    expect(admitProvenPeer({ credential: a.credential, proof: asEvent }, context, admit)).toEqual({
      ok: false,
      reason: 'bad-proof',
    });
    expect(
      admitProvenPeer({ credential: a.credential, proof: a.credential.signature }, context, admit),
    ).toEqual({ ok: false, reason: 'bad-proof' });
  });

  it('refuses what admitPeer refuses, even with a valid proof of the key', () => {
    const self = till('t-x', 31, STORE, keyPairFromSeed(seed(31)));
    expect(admitProvenPeer(provePeer(context, self.credential, self.keys.secretKey), context, admit)).toEqual(
      {
        ok: false,
        reason: 'not-signed-by-hq',
      },
    );
    const elsewhere = till('t-y', 32, OTHER_STORE);
    expect(
      admitProvenPeer(provePeer(context, elsewhere.credential, elsewhere.keys.secretKey), context, admit),
    ).toEqual({ ok: false, reason: 'other-store' });
  });

  it('refuses a malformed hello or a malformed context', () => {
    const hello = provePeer(context, a.credential, a.keys.secretKey);
    expect(admitProvenPeer({ credential: a.credential }, context, admit)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(admitProvenPeer({ ...hello, extra: 1 }, context, admit)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(admitProvenPeer(hello, { ...context, challenge: 'short' }, admit)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(admitProvenPeer({ ...hello, credential: 'x' }, context, admit)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
