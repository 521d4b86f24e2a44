// HQ's Ed25519 signing key for terminal credentials (issue 16, src-shared/lan/credential.ts). It lives where
// the chain's phone key lives (phone-key.ts): a row of HQ's settings table, 32 random bytes as hex, made
// once right after the migrations. Every HQ process on one database therefore signs with the same key, and
// a till holding HQ's public key from its enrollment verifies credentials whichever process issued them.
// The seed never leaves HQ: only its public key goes to terminals, and nothing here logs it.
import { hexToBytes } from '@noble/hashes/utils.js';
import { keyPairFromSeed, type KeyPair } from '../../src-shared/lan/keys.js';
import type { Queryable } from '../db/database.js';
import { ensureSecretSetting, setting } from './settings.js';

const KEY_SETTING = 'terminal_signing_key';
const SEED_HEX = /^[0-9a-f]{64}$/;

/** HQ's signing key pair, made now if HQ has none (two HQs starting together keep the first one made). */
export async function ensureSigningKey(db: Queryable): Promise<KeyPair> {
  await ensureSecretSetting(db, KEY_SETTING);
  return getSigningKey(db);
}

/** HQ's signing key pair; throws when HQ has none (the database was not migrated by this HQ). */
export async function getSigningKey(db: Queryable): Promise<KeyPair> {
  const seed = await setting(db, KEY_SETTING);
  // The message names the setting, never its value.
  if (seed === null || !SEED_HEX.test(seed))
    throw new Error('HQ has no terminal signing key: run the migrations (npm run hq -- migrate)');
  return keyPairFromSeed(hexToBytes(seed));
}
