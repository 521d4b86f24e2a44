// The keyed, slow phone lookup key (src-shared/ledger/phone.ts): deterministic for a key, different under
// another key or for another number, never the legacy unkeyed hash, and the derivation its definition says.
import { hmac } from '@noble/hashes/hmac.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src-shared/kernel/hash.js';
import { PHONE_LOOKUP, phoneHash, phoneLookupKey } from '../../../src-shared/ledger/phone.js';

const KEY_A = '11'.repeat(32);
const KEY_B = '22'.repeat(32);
const NUMBER = '+353871234567';

describe('phoneLookupKey', () => {
  it('is deterministic for a key, and differs across keys and numbers', async () => {
    const a = await phoneLookupKey(NUMBER, KEY_A);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await phoneLookupKey(NUMBER, KEY_A)).toBe(a);
    expect(await phoneLookupKey(NUMBER, KEY_B)).not.toBe(a);
    expect(await phoneLookupKey('+353871234568', KEY_A)).not.toBe(a);
  });

  it('is neither the legacy hash nor a bare SHA-256 of the number', async () => {
    const a = await phoneLookupKey(NUMBER, KEY_A);
    expect(a).not.toBe(phoneHash(NUMBER));
    expect(a).not.toBe(sha256Hex(NUMBER));
  });

  it('is HMAC-SHA-256 under the phone key, then scrypt with the stated cost', async () => {
    expect(PHONE_LOOKUP).toMatchObject({ N: 2 ** 13, r: 8, p: 1, dkLen: 32 });
    const mac = hmac(sha256, hexToBytes(KEY_A), utf8ToBytes(`${PHONE_LOOKUP.label}\0${NUMBER}`));
    const { label, ...params } = PHONE_LOOKUP;
    expect(await phoneLookupKey(NUMBER, KEY_A)).toBe(bytesToHex(scrypt(mac, utf8ToBytes(label), params)));
  });

  it('refuses a key that is not 32 bytes of hex', async () => {
    await expect(phoneLookupKey(NUMBER, 'ab'.repeat(16))).rejects.toThrow(RangeError);
    await expect(phoneLookupKey(NUMBER, 'XY'.repeat(32))).rejects.toThrow(RangeError);
  });
});
