// The terminal credential (docs/architecture.md section 3): the bearer token HQ issued at enrollment, with the terminal
// and store ids, the HQ it is valid for and the chain's phone key. It lives in the host process only, never in the renderer.
// Since issue 16 it also holds the terminal's store-LAN identity: the Ed25519 seed main made at enrollment
// (a secret like the token), HQ's credential over its public key and HQ's public key. A credential saved
// before has none: that till takes no part in LAN sync until it is enrolled again.
// Two stores: a plain JSON file (mode 0600) for the browser host and tests, and, in Electron, the same file
// encrypted with safeStorage, refused when Linux has no keyring (backend `basic_text`, which would only
// obfuscate the token). Both write atomically: a temporary file, fsync, rename, so a power cut leaves the
// old credential or the new one, never half of either.
import { phoneCountrySchema, phoneKeySchema } from '../../src-shared/ledger/phone.js';
import { terminalCredentialSchema } from '../../src-shared/lan/credential.js';
import { publicKeyHexSchema } from '../../src-shared/lan/keys.js';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The terminal's store-LAN identity. `seed` is the 32-byte Ed25519 seed as hex: the secret the till signs
 * its events and peer proofs with; it never leaves main. `credential` is HQ's signature over its public key.
 */
export const lanIdentitySchema = z
  .object({
    seed: z.string().regex(/^[0-9a-f]{64}$/),
    credential: terminalCredentialSchema,
    hqPublicKey: publicKeyHexSchema,
  })
  .strict();
export type LanIdentity = z.infer<typeof lanIdentitySchema>;

export const credentialSchema = z
  .object({
    terminalId: z.string().min(1).max(64),
    storeId: z.string().min(1).max(64),
    token: z.string().min(32).max(256),
    /** The HQ that issued the token (normalised base URL): the token is sent nowhere else. */
    hqUrl: z.url(),
    /** The store's country (ISO 3166-1 alpha-2) for typed phone numbers; older credentials have none. */
    country: phoneCountrySchema.optional(),
    /**
     * The chain's phone key, for turning typed numbers into lookup keys (src-main/hq/phone-lookup.ts); it
     * stays in main like the token. Credentials from an HQ before the phone key have none.
     */
    phoneKey: phoneKeySchema.optional(),
    /** The store-LAN identity (issue 16); credentials saved before it, or from an older HQ, have none. */
    lan: lanIdentitySchema.optional(),
  })
  .strict()
  .refine(
    (c) =>
      c.lan === undefined ||
      (c.lan.credential.terminalId === c.terminalId && c.lan.credential.storeId === c.storeId),
    'the LAN credential is for another terminal',
  );
export type Credential = z.infer<typeof credentialSchema>;

export interface CredentialStore {
  /** The saved credential, or null when there is none. Throws CredentialStoreError when it cannot be read. */
  load(): Promise<Credential | null>;
  save(credential: Credential): Promise<void>;
  clear(): Promise<void>;
}

/** The credential cannot be read or kept; the message says why (never the token). */
export class CredentialStoreError extends Error {
  override readonly name: string = 'CredentialStoreError';
  constructor(
    message: string,
    /** True when no credential can be kept here at all (no keyring): enrolling would waste the code. */
    readonly unavailable = false,
  ) {
    super(message);
  }
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Writes a file atomically with mode 0600: temporary file in the same folder, fsync, rename, fsync the folder. */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'wx', FILE_MODE);
  try {
    await file.writeFile(data);
    await file.chmod(FILE_MODE);
    await file.sync();
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await chmod(path, FILE_MODE);
  // The rename itself must survive a power cut: sync the folder (not possible on every platform).
  const folder = await open(dir, 'r').catch(() => null);
  if (folder) {
    await folder.sync().catch(() => undefined);
    await folder.close();
  }
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CredentialStoreError(
      `The terminal credential cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
}

function parseCredential(text: string): Credential {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialStoreError('The saved terminal credential is damaged: enroll the terminal again.');
  }
  const parsed = credentialSchema.safeParse(json);
  if (!parsed.success) {
    throw new CredentialStoreError('The saved terminal credential is damaged: enroll the terminal again.');
  }
  return parsed.data;
}

/** The credential as a JSON file, mode 0600, in the terminal's data folder (browser host, tests). */
export function fileCredentialStore(path: string): CredentialStore {
  return {
    async load() {
      const bytes = await readIfExists(path);
      return bytes === null ? null : parseCredential(bytes.toString('utf8'));
    },
    async save(credential) {
      await writeFileAtomically(path, `${JSON.stringify(credentialSchema.parse(credential))}\n`);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}

/** The part of Electron's safeStorage the store uses (injected: Node tests never load electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text`, `gnome_libsecret`, `kwallet`, `kwallet5`, `kwallet6` or `unknown`. */
  getSelectedStorageBackend?(): string;
}

const ENVELOPE_FORMAT = 'loyalty-credential/safeStorage/1';
const envelopeSchema = z.object({ format: z.literal(ENVELOPE_FORMAT), data: z.base64() }).strict();

/**
 * The credential encrypted with Electron's safeStorage (the OS keychain, DPAPI, or libsecret/kwallet), in
 * a file of mode 0600. Refuses to load or save when encryption is unavailable, and on Linux when the backend
 * is `basic_text` (a hard-coded key: no protection) or `unknown` (called before the app is ready).
 */
export function safeStorageCredentialStore(
  safeStorage: SafeStorageLike,
  path: string,
  options: { platform?: NodeJS.Platform } = {},
): CredentialStore {
  const platform = options.platform ?? process.platform;
  const usable = (): void => {
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend) {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') {
        throw new CredentialStoreError(
          `This terminal cannot keep its HQ credential safely: no system keyring (safeStorage backend ` +
            `${backend}). Install and unlock a keyring (gnome-keyring or KWallet), then enroll again.`,
          true,
        );
      }
    }
    if (!safeStorage.isEncryptionAvailable()) {
      throw new CredentialStoreError(
        'This terminal cannot keep its HQ credential safely: encryption is not available on this system.',
        true,
      );
    }
  };
  return {
    async load() {
      usable();
      const bytes = await readIfExists(path);
      if (bytes === null) return null;
      let encrypted: Buffer;
      try {
        const envelope = envelopeSchema.parse(JSON.parse(bytes.toString('utf8')));
        encrypted = Buffer.from(envelope.data, 'base64');
      } catch {
        throw new CredentialStoreError(
          'The saved terminal credential is damaged: enroll the terminal again.',
        );
      }
      let text: string;
      try {
        text = safeStorage.decryptString(encrypted);
      } catch {
        throw new CredentialStoreError(
          'The saved terminal credential cannot be decrypted (another user or keyring?): enroll the terminal again.',
        );
      }
      return parseCredential(text);
    },
    async save(credential) {
      usable();
      const encrypted = safeStorage.encryptString(JSON.stringify(credentialSchema.parse(credential)));
      const envelope = { format: ENVELOPE_FORMAT, data: encrypted.toString('base64') };
      await writeFileAtomically(path, `${JSON.stringify(envelope)}\n`);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}
