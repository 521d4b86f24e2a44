import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  hashPin,
  isPinHash,
  PIN_SCRYPT_N,
  toBase64,
  verifyPin,
} from '../../../src-shared/kernel/index.js';
import { cashierDocSchema, staffPinSchema } from '../../../src-shared/sync/wire.js';

const salt = (fill: number) => new Uint8Array(16).fill(fill);
const FAST = 2 ** 10;

describe('PIN hashing', () => {
  it('hashes in the format scrypt$N$r$p$salt$hash and verifies the right PIN only', () => {
    const hash = hashPin('4821', { salt: salt(7) });
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(hash.split('$')[1]).toBe(String(PIN_SCRYPT_N));
    expect(verifyPin('4821', hash)).toBe(true);
    expect(verifyPin('4822', hash)).toBe(false);
    expect(verifyPin('48210', hash)).toBe(false);
    // It is what HQ's staff PIN list for main carries, and what no replicated cashier document may carry.
    expect(staffPinSchema.safeParse({ id: 'c1', name: 'Ann', role: 'manager', pinHash: hash }).success).toBe(
      true,
    );
    expect(
      cashierDocSchema.safeParse({
        id: 'c1',
        storeId: 's1',
        name: 'Ann',
        role: 'manager',
        pinHash: hash,
        _deleted: false,
      }).success,
    ).toBe(false);
  });

  it('salts: the same PIN hashes differently with another salt, identically with the same', () => {
    const a = hashPin('123456', { salt: salt(1), N: FAST });
    expect(hashPin('123456', { salt: salt(1), N: FAST })).toBe(a);
    const b = hashPin('123456', { salt: salt(2), N: FAST });
    expect(b).not.toBe(a);
    expect(verifyPin('123456', b)).toBe(true);
    // Without a salt one comes from the platform's random source.
    expect(hashPin('123456', { N: FAST })).not.toBe(hashPin('123456', { N: FAST }));
  });

  it('refuses PINs that are not 4 to 8 digits, and weak options', () => {
    for (const pin of ['', '123', '123456789', '12a4', ' 1234', '１２３４'])
      expect(() => hashPin(pin, { salt: salt(1), N: FAST })).toThrow(/4 to 8 digits/);
    expect(() => hashPin('1234', { salt: new Uint8Array(8), N: FAST })).toThrow(/salt/);
    expect(() => hashPin('1234', { salt: salt(1), N: 1000 })).toThrow(/power of two/);
  });

  it('treats malformed or forged hashes as a failed verification, never an exception', () => {
    const good = hashPin('1234', { salt: salt(3), N: FAST });
    const parts = good.split('$');
    const forged = [
      '',
      'plain-text-pin',
      good.replace('scrypt', 'bcrypt'),
      [...parts.slice(0, 1), String(2 ** 30), ...parts.slice(2)].join('$'),
      [...parts.slice(0, 4), 'not base64!', parts[5]].join('$'),
      [...parts.slice(0, 5), toBase64(new Uint8Array(4))].join('$'),
    ];
    for (const f of forged) {
      expect(isPinHash(f)).toBe(false);
      expect(verifyPin('1234', f)).toBe(false);
    }
    expect(isPinHash(good)).toBe(true);
    expect(verifyPin('abcd', good)).toBe(false);
  });

  it('encodes base64 exactly as RFC 4648', () => {
    const bytes = new TextEncoder().encode('any carnal pleas');
    for (let n = 0; n <= bytes.length; n++) {
      const slice = bytes.slice(0, n);
      expect(toBase64(slice)).toBe(Buffer.from(slice).toString('base64'));
      expect(fromBase64(toBase64(slice))).toEqual(slice);
    }
    expect(fromBase64('YQ=')).toBeNull();
    expect(fromBase64('YR==')).toBeNull(); // unused bits set: not canonical
  });
});
