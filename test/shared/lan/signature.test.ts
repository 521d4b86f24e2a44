// Event signatures (issue 16): a till and HQ keep another till's event only with its origin's valid signature.
import { describe, expect, it } from 'vitest';
import { signText } from '../../../src-shared/lan/keys.js';
import {
  readEventOf,
  signEvent,
  signatureVerifies,
  verifyEventOrigin,
  verifyEventSignature,
} from '../../../src-shared/lan/signature.js';
import { eventHash } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { eventFactory } from '../../support/events.js';
import { HQ, OTHER_STORE, STORE, chainOf, till, wire } from './builders.js';

const t1 = till('t-1', 11);
const t2 = till('t-2', 12);
const f1 = eventFactory({ terminalId: 't-1', storeId: STORE });
const earn = f1.earned('m-1', 40);
const redeem = f1.redeemed('m-1', 25);

describe('signEvent and verifyEventSignature', () => {
  it('round-trips, also after the wire', () => {
    const signed = signEvent(earn, t1.keys.secretKey);
    expect(signed.event).toBe(earn);
    expect(verifyEventSignature(signed, t1.keys.publicKey)).toEqual({ ok: true, signed });
    expect(verifyEventSignature(wire(signed), t1.keys.publicKey)).toEqual({ ok: true, signed });
  });

  it('refuses to sign an event that does not match its hash', () => {
    const altered = { ...earn, cashierId: 'c-9' };
    expect(() => signEvent(altered, t1.keys.secretKey)).toThrow(/does not match its hash/);
  });

  it('refuses an event signed by another key (a forged peer or another till)', () => {
    expect(verifyEventSignature(signEvent(earn, t2.keys.secretKey), t1.keys.publicKey)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses the signature of another event', () => {
    const other = signEvent(redeem, t1.keys.secretKey);
    expect(verifyEventSignature({ event: earn, signature: other.signature }, t1.keys.publicKey)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses an event altered after signing, with its original hash and signature', () => {
    const signed = signEvent(redeem, t1.keys.secretKey);
    const altered = wire(signed) as { event: { payload: { cost: number; quantity: number } } };
    altered.event.payload.cost = 1;
    altered.event.payload.quantity = 1;
    expect(verifyEventSignature(altered, t1.keys.publicKey)).toEqual({ ok: false, reason: 'altered' });
  });

  it('refuses an event altered and re-hashed after signing', () => {
    const signed = signEvent(redeem, t1.keys.secretKey);
    const body = { ...redeem, payload: { ...redeem.payload, cost: 1, quantity: 1 } };
    const rehashed = { ...body, hash: eventHash(body) };
    expect(verifyEventSignature({ event: rehashed, signature: signed.signature }, t1.keys.publicKey)).toEqual(
      { ok: false, reason: 'bad-signature' },
    );
  });

  it('refuses a credential signature replayed as an event signature', () => {
    expect(verifyEventSignature({ event: earn, signature: t1.credential.signature }, HQ.publicKey)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    // Even a credential-domain signature over exactly the text an event signature covers is refused.
    const sameText = signText('credential', earn.hash, t1.keys.secretKey);
    expect(verifyEventSignature({ event: earn, signature: sameText }, t1.keys.publicKey)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it.each([
    ['nothing', undefined],
    ['a bare event', earn],
    ['an extra field', { event: earn, signature: '00'.repeat(64), by: 't-1' }],
    ['an upper-case signature', { ...signEvent(earn, t1.keys.secretKey), signature: 'AB'.repeat(64) }],
    ['an invalid event', { event: { ...earn, terminalSeq: 0 }, signature: '00'.repeat(64) }],
  ])('refuses %s as malformed', (_what, envelope) => {
    expect(verifyEventSignature(envelope, t1.keys.publicKey)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('answers false, never throws, for a malformed public key', () => {
    expect(verifyEventSignature(signEvent(earn, t1.keys.secretKey), 'xyz')).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});

describe('verifyEventOrigin', () => {
  it("accepts the credential's terminal's event signed with its key", () => {
    const signed = signEvent(earn, t1.keys.secretKey);
    expect(verifyEventOrigin(wire(signed), t1.credential)).toEqual({ ok: true, signed });
  });

  it("refuses another terminal's event, even signed with that terminal's own key", () => {
    const [t2Event] = chainOf(t2, 1).events as [LedgerEvent];
    expect(verifyEventOrigin(signEvent(t2Event, t2.keys.secretKey), t1.credential)).toEqual({
      ok: false,
      reason: 'other-terminal',
    });
  });

  it("refuses HQ's credential used with another terminal's events signed by the credential's key", () => {
    const [t2Event] = chainOf(t2, 1).events as [LedgerEvent];
    expect(verifyEventOrigin(signEvent(t2Event, t1.keys.secretKey), t1.credential)).toEqual({
      ok: false,
      reason: 'other-terminal',
    });
  });

  it('refuses an event of another store under the same terminal id', () => {
    const [elsewhere] = chainOf({ terminalId: 't-1', storeId: OTHER_STORE }, 1).events as [LedgerEvent];
    expect(verifyEventOrigin(signEvent(elsewhere, t1.keys.secretKey), t1.credential)).toEqual({
      ok: false,
      reason: 'other-store',
    });
  });

  it("refuses the terminal's event signed with another key", () => {
    expect(verifyEventOrigin(signEvent(earn, t2.keys.secretKey), t1.credential)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});

describe('readEventOf and signatureVerifies: the two halves of verifyEventOrigin', () => {
  it('reads an event of the credential without its signature, and refuses what the rest refuses', () => {
    const wrongKey = signEvent(earn, t2.keys.secretKey);
    expect(readEventOf(wire(wrongKey), t1.credential)).toEqual({ ok: true, signed: wrongKey });
    expect(signatureVerifies(wrongKey, t1.keys.publicKey)).toBe(false);
    expect(signatureVerifies(signEvent(earn, t1.keys.secretKey), t1.keys.publicKey)).toBe(true);
    const altered = { ...signEvent(earn, t1.keys.secretKey), event: { ...earn, memberId: 'm-2' } };
    expect(readEventOf(altered, t1.credential)).toEqual({ ok: false, reason: 'altered' });
    expect(readEventOf(signEvent(earn, t1.keys.secretKey), t2.credential)).toEqual({
      ok: false,
      reason: 'other-terminal',
    });
  });
});
