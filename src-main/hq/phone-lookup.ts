// The terminal's phone lookup (TerminalApi.phoneLookupKey): turns a normalised number into its keyed, slow
// lookup key with the chain's phone key from the credential (src-shared/ledger/phone.ts). The key stays in
// main: the renderer gets only the lookup key of the number it asked about.
import { scrypt } from 'node:crypto';
import type { PhoneLookupAnswer } from '../../src-shared/ipc/index.js';
import { phoneLookupKey, type Scrypt } from '../../src-shared/ledger/phone.js';

/** node:crypto's scrypt: native, and on libuv's thread pool, so main's event loop is not held ~15 ms. */
export const nodeScrypt: Scrypt = (password, salt, { N, r, p, dkLen }) =>
  new Promise((resolve, reject) => {
    // maxmem above scrypt's 128·N·r bytes (Node's default of 32 MiB would refuse a larger N).
    scrypt(password, salt, dkLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
    );
  });

export interface PhoneLookup {
  lookupKey(normalised: string): Promise<PhoneLookupAnswer>;
}

/** Over the terminal link's credential (TerminalLink.phoneKey). */
export function createPhoneLookup(source: { phoneKey(): Promise<string | null> }): PhoneLookup {
  return {
    async lookupKey(normalised) {
      const key = await source.phoneKey();
      if (key === null) return { ok: false, reason: 'no-phone-key' };
      return { ok: true, lookupKey: await phoneLookupKey(normalised, key, nodeScrypt) };
    },
  };
}
