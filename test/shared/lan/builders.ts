// Deterministic keys, credentials and signed chains for the store-LAN tests (issue 16): every key comes
// from a fixed 32-byte seed, so a failure replays exactly.
import { issueCredential, type TerminalCredential } from '../../../src-shared/lan/credential.js';
import { keyPairFromSeed, type KeyPair } from '../../../src-shared/lan/keys.js';
import { signEvent, type SignedEvent } from '../../../src-shared/lan/signature.js';
import type { ChainHead } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { eventFactory, type EventFactory } from '../../support/events.js';

/** A fixed 32-byte seed: `n` then its index in every byte, so seeds of different `n` differ everywhere. */
export const seed = (n: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (n * 31 + i) & 0xff);

export const HQ = keyPairFromSeed(seed(1));
/** Another chain's HQ (or an attacker posing as HQ). */
export const OTHER_HQ = keyPairFromSeed(seed(2));
export const STORE = 's-1';
export const OTHER_STORE = 's-2';
export const ISSUED_AT = '2026-12-01T08:00:00.000Z';

export interface Till {
  terminalId: string;
  storeId: string;
  keys: KeyPair;
  credential: TerminalCredential;
}

/** A till with its own key (from `seedNo`) and HQ's credential for it (or `issuer`'s). */
export function till(terminalId: string, seedNo: number, storeId = STORE, issuer: KeyPair = HQ): Till {
  const keys = keyPairFromSeed(seed(seedNo));
  const credential = issueCredential(
    { terminalId, storeId, publicKey: keys.publicKey, issuedAt: ISSUED_AT },
    issuer.secretKey,
  );
  return { terminalId, storeId, keys, credential };
}

/** `n` sealed events of the till's chain (from genesis, or continuing `from`), and the factory made them. */
export function chainOf(
  t: Pick<Till, 'terminalId' | 'storeId'>,
  n: number,
  from?: ChainHead | null,
): EventFactory {
  const f = eventFactory({ terminalId: t.terminalId, storeId: t.storeId, from: from ?? null });
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) f.earned(`m-${i % 5}`, 10 + i);
    else if (i % 3 === 1) f.redeemed(`m-${i % 5}`, 5 + i);
    else f.adjusted(`m-${i % 5}`, 1 + i);
  }
  return f;
}

export const signAll = (events: readonly LedgerEvent[], keys: KeyPair): SignedEvent[] =>
  events.map((e) => signEvent(e, keys.secretKey));

export const headOf = (e: LedgerEvent): ChainHead => ({ terminalSeq: e.terminalSeq, hash: e.hash });

/** A deep copy as it would arrive over the wire. */
export const wire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value)) as unknown;
