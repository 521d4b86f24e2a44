// The terminal credential on disk: mode 0600, written atomically, readable after a restart; and the
// Electron store, which encrypts with safeStorage and refuses Linux's basic_text backend.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CredentialStoreError,
  fileCredentialStore,
  safeStorageCredentialStore,
  type Credential,
  type SafeStorageLike,
} from '../../../src-main/hq/credential-store.js';
import { issueCredential } from '../../../src-shared/lan/credential.js';
import { keyPairFromSeed } from '../../../src-shared/lan/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'credential-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const credential: Credential = {
  terminalId: '01956b1e-7c00-7000-8000-4f3a9e2b1c0d',
  storeId: 's-1',
  token: 'q3J8tokentokentokentokentokentokentokenAAA',
  hqUrl: 'https://hq.example.test',
};

/** A stand-in for Electron's safeStorage: reversible "encryption" that hides the text. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(`enc:${Buffer.from(text).toString('hex')}`),
    decryptString: (data) => {
      const text = data.toString('utf8');
      if (!text.startsWith('enc:')) throw new Error('cannot decrypt');
      return Buffer.from(text.slice(4), 'hex').toString('utf8');
    },
    getSelectedStorageBackend: () => backend,
  };
}

const mode = (path: string): number => statSync(path).mode & 0o777;

/** A credential with its store-LAN identity (issue 16): the till's seed and HQ's credential over its key. */
const tillKey = keyPairFromSeed(new Uint8Array(32).fill(7));
const hqKey = keyPairFromSeed(new Uint8Array(32).fill(9));
const tillSeed = Buffer.from(tillKey.secretKey).toString('hex');
const withLan: Credential = {
  ...credential,
  lan: {
    seed: tillSeed,
    credential: issueCredential(
      {
        terminalId: credential.terminalId,
        storeId: credential.storeId,
        publicKey: tillKey.publicKey,
        issuedAt: '2026-12-07T12:00:00.000Z',
      },
      hqKey.secretKey,
    ),
    hqPublicKey: hqKey.publicKey,
  },
};

describe('file credential store', () => {
  it('saves with mode 0600 and loads it again in a new store (a restart)', async () => {
    const path = join(dir, 'data', 'hq-credential.json');
    expect(await fileCredentialStore(path).load()).toBeNull();
    await fileCredentialStore(path).save(credential);
    expect(mode(path)).toBe(0o600);
    expect(await fileCredentialStore(path).load()).toEqual(credential);
    // Atomic: nothing but the file itself is left in the folder.
    expect(readdirSync(join(dir, 'data'))).toEqual(['hq-credential.json']);
  });

  it('replaces the credential whole, and clears it', async () => {
    const path = join(dir, 'replace.json');
    const store = fileCredentialStore(path);
    await store.save(credential);
    await store.save({ ...credential, terminalId: 't-2' });
    expect(await store.load()).toEqual({ ...credential, terminalId: 't-2' });
    expect(mode(path)).toBe(0o600);
    await store.clear();
    expect(await store.load()).toBeNull();
    await store.clear();
  });

  it('reports a damaged file without quoting it', async () => {
    const path = join(dir, 'damaged.json');
    writeFileSync(path, `{"token": "${credential.token}"`);
    const failure = await fileCredentialStore(path)
      .load()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CredentialStoreError);
    expect((failure as Error).message).not.toContain(credential.token);
  });
});

describe('the store-LAN identity in the credential', () => {
  it('keeps the seed with the credential, 0600, and reads it back', async () => {
    const path = join(dir, 'lan.json');
    await fileCredentialStore(path).save(withLan);
    expect(mode(path)).toBe(0o600);
    expect(await fileCredentialStore(path).load()).toEqual(withLan);
  });

  it('is encrypted whole by the safeStorage store: the seed is not in the file', async () => {
    const path = join(dir, 'lan-safe.json');
    const safe = fakeSafeStorage('gnome_libsecret');
    await safeStorageCredentialStore(safe, path, { platform: 'linux' }).save(withLan);
    expect(readFileSync(path, 'utf8')).not.toContain(tillSeed);
    expect(await safeStorageCredentialStore(safe, path, { platform: 'linux' }).load()).toEqual(withLan);
  });

  it('reads a credential saved before keys (no LAN identity) as it was', async () => {
    const path = join(dir, 'old.json');
    writeFileSync(path, JSON.stringify(credential));
    expect(await fileCredentialStore(path).load()).toEqual(credential);
  });

  it('refuses a LAN credential for another terminal as damaged, without quoting the seed', async () => {
    const path = join(dir, 'lan-mismatch.json');
    writeFileSync(path, JSON.stringify({ ...withLan, terminalId: 'another-terminal' }));
    const failure = await fileCredentialStore(path)
      .load()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CredentialStoreError);
    expect((failure as Error).message).not.toContain(tillSeed);
    await expect(fileCredentialStore(path).save({ ...withLan, storeId: 's-2' })).rejects.toThrow();
  });
});

describe('safeStorage credential store', () => {
  it('encrypts the credential and reads it back', async () => {
    const path = join(dir, 'safe.json');
    const safe = fakeSafeStorage('gnome_libsecret');
    await safeStorageCredentialStore(safe, path, { platform: 'linux' }).save(credential);
    expect(readFileSync(path, 'utf8')).not.toContain(credential.token);
    expect(mode(path)).toBe(0o600);
    expect(await safeStorageCredentialStore(safe, path, { platform: 'linux' }).load()).toEqual(credential);
  });

  it("refuses Linux's basic_text backend: nothing saved, nothing loaded", async () => {
    const path = join(dir, 'basic.json');
    const store = safeStorageCredentialStore(fakeSafeStorage('basic_text'), path, { platform: 'linux' });
    const saving = await store.save(credential).catch((e: unknown) => e);
    expect(saving).toBeInstanceOf(CredentialStoreError);
    expect((saving as CredentialStoreError).unavailable).toBe(true);
    expect((saving as Error).message).toContain('basic_text');
    expect(readdirSync(dir)).not.toContain('basic.json');
    await expect(store.load()).rejects.toBeInstanceOf(CredentialStoreError);
  });

  it('refuses when encryption is unavailable, and only checks the backend on Linux', async () => {
    const path = join(dir, 'mac.json');
    const unavailable = safeStorageCredentialStore(fakeSafeStorage('basic_text', false), path, {
      platform: 'darwin',
    });
    await expect(unavailable.save(credential)).rejects.toBeInstanceOf(CredentialStoreError);
    const mac = safeStorageCredentialStore(fakeSafeStorage('basic_text'), path, { platform: 'darwin' });
    await mac.save(credential);
    expect(await mac.load()).toEqual(credential);
  });

  it('reports a credential it cannot decrypt', async () => {
    const path = join(dir, 'foreign.json');
    writeFileSync(path, JSON.stringify({ format: 'loyalty-credential/safeStorage/1', data: 'AAAA' }));
    const store = safeStorageCredentialStore(fakeSafeStorage('kwallet5'), path, { platform: 'linux' });
    await expect(store.load()).rejects.toBeInstanceOf(CredentialStoreError);
  });
});
