// Main's phone lookup: node:crypto's scrypt gives the same lookup key as the pure definition, a terminal
// without a phone key says so, and through the host API (what the renderer calls) the answer carries the
// number's lookup key only: never the phone key, whatever the credential holds.
import { describe, expect, it } from 'vitest';
import { createHostApi, invokeHostApi } from '../../../src-main/host/host-api.js';
import { createPhoneLookup, nodeScrypt } from '../../../src-main/hq/phone-lookup.js';
import { phoneLookupKey, pureScrypt } from '../../../src-shared/ledger/phone.js';
import { fakeLink } from '../host/fakes.js';

const KEY = '3c'.repeat(32);
const NUMBER = '+33612345678';

describe('the phone lookup in main', () => {
  it('derives with node:crypto exactly what the pure definition derives', async () => {
    expect(await phoneLookupKey(NUMBER, KEY, nodeScrypt)).toBe(await phoneLookupKey(NUMBER, KEY, pureScrypt));
  });

  it("answers 'no-phone-key' when the credential has none", async () => {
    const lookup = createPhoneLookup({ phoneKey: () => Promise.resolve(null) });
    expect(await lookup.lookupKey(NUMBER)).toEqual({ ok: false, reason: 'no-phone-key' });
  });

  it('gives the renderer the lookup key of the number, never the phone key', async () => {
    const api = createHostApi({
      link: fakeLink().link,
      hostInfo: { host: 'browser', version: 'test' },
      phones: createPhoneLookup({ phoneKey: () => Promise.resolve(KEY) }),
    });
    const answer = await invokeHostApi(api, 'terminal:phone-lookup-key', [NUMBER]);
    expect(answer).toEqual({ ok: true, lookupKey: await phoneLookupKey(NUMBER, KEY) });
    expect(JSON.stringify(answer)).not.toContain(KEY);
    // A number that is not E.164 never reaches the derivation.
    await expect(invokeHostApi(api, 'terminal:phone-lookup-key', ['087 123 4567'])).rejects.toThrow();
  });
});
