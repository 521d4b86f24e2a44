// Tampering (issue 16): any one change to a signed event envelope or a credential, as text on the wire or as
// a value in any field, is refused. Keys come from fixed seeds; fast-check picks what to change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitPeer } from '../../../src-shared/lan/credential.js';
import { signEvent, verifyEventSignature } from '../../../src-shared/lan/signature.js';
import { eventFactory } from '../../support/events.js';
import { HQ, STORE, till } from './builders.js';

const t1 = till('t-1', 11);
const f = eventFactory({ terminalId: 't-1', storeId: STORE });
f.enrolled('m-1', { phoneLast4: '1234', cards: ['LOY-000123'] });
const earned = f.earned('m-1', 120);
f.redeemed('m-1', 50, undefined, {
  mode: 'offline',
  offlinePeriod: { since: earned.occurredAt, allowance: 80 },
});
f.adjusted('m-1', -5);
f.bonus('m-1', 30, 'birthday');
f.voided(earned);
const envelopes = f.events.map((e) => signEvent(e, t1.keys.secretKey));
const texts = envelopes.map((e) => JSON.stringify(e));
const credentialText = JSON.stringify(t1.credential);
const admit = { storeId: STORE, hqPublicKey: HQ.publicKey };

const RUNS = { numRuns: 400 };
/** A printable ASCII character. */
const charArb = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

/** `text` with the character at `at` (mod its length) replaced by `ch`; null when that changes nothing. */
function replaceChar(text: string, at: number, ch: string): string | null {
  const i = at % text.length;
  if (text[i] === ch) return null;
  return `${text.slice(0, i)}${ch}${text.slice(i + 1)}`;
}

/** JSON text parsed, or undefined when a change left it no JSON at all (refused before any check). */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type Leaf = { path: (string | number)[]; value: unknown };
/** Every leaf (a value that is not an object or an array) of a JSON value, with its path. */
function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

/** Another value of a leaf: a number moved by `delta` (never 0), a string with one more character, a flag flipped. */
function changed(value: unknown, delta: number, extra: string): unknown {
  if (typeof value === 'number') return value + delta;
  if (typeof value === 'string') return `${value}${extra}`;
  if (typeof value === 'boolean') return !value;
  return extra;
}

function withLeaf(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

const deltaArb = fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0);

describe('tampering with a signed event envelope', () => {
  it('every envelope here verifies untouched', () => {
    for (const text of texts) expect(verifyEventSignature(JSON.parse(text), t1.keys.publicKey).ok).toBe(true);
  });

  it('refuses any single-character change to its wire text', () => {
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.nat(), charArb, (which, at, ch) => {
        const text = replaceChar(texts[which] as string, at, ch);
        if (text === null) return;
        const parsed = parseOrUndefined(text);
        if (parsed === undefined) return;
        expect(verifyEventSignature(parsed, t1.keys.publicKey).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses any change to any one field, the hash and signature included', () => {
    fc.assert(
      fc.property(fc.nat(envelopes.length - 1), fc.nat(), deltaArb, charArb, (which, pick, delta, extra) => {
        const envelope = envelopes[which];
        const all = leaves(envelope);
        const leaf = all[pick % all.length] as Leaf;
        const tampered = withLeaf(envelope, leaf.path, changed(leaf.value, delta, extra));
        expect(verifyEventSignature(tampered, t1.keys.publicKey).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses any single-byte change to the signature', () => {
    fc.assert(
      fc.property(
        fc.nat(envelopes.length - 1),
        fc.nat(63),
        fc.integer({ min: 1, max: 255 }),
        (which, byte, xor) => {
          const envelope = envelopes[which] as (typeof envelopes)[number];
          const sig = envelope.signature;
          const old = parseInt(sig.slice(byte * 2, byte * 2 + 2), 16);
          const hex = ((old ^ xor) & 0xff).toString(16).padStart(2, '0');
          const signature = `${sig.slice(0, byte * 2)}${hex}${sig.slice(byte * 2 + 2)}`;
          expect(verifyEventSignature({ ...envelope, signature }, t1.keys.publicKey)).toEqual({
            ok: false,
            reason: 'bad-signature',
          });
        },
      ),
      RUNS,
    );
  });
});

describe('tampering with a credential', () => {
  it('refuses any single-character change to its wire text', () => {
    fc.assert(
      fc.property(fc.nat(), charArb, (at, ch) => {
        const text = replaceChar(credentialText, at, ch);
        if (text === null) return;
        const parsed = parseOrUndefined(text);
        if (parsed === undefined) return;
        expect(admitPeer(parsed, admit).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('refuses any change to any one field', () => {
    const all = leaves(t1.credential);
    fc.assert(
      fc.property(fc.nat(all.length - 1), deltaArb, charArb, (pick, delta, extra) => {
        const leaf = all[pick] as Leaf;
        const tampered = withLeaf(t1.credential, leaf.path, changed(leaf.value, delta, extra));
        expect(admitPeer(tampered, admit).ok).toBe(false);
      }),
      RUNS,
    );
  });
});
