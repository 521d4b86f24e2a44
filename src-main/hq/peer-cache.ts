// The store's peer list as main last fetched it from HQ (GET /v1/store/peers, issue 16), kept in a file so a
// till that starts during an outage still knows its store's tills, their credentials, addresses and HQ's
// revoked keys. Written atomically (temporary file, fsync, rename; mode 0600) like the credential, so a
// power cut leaves the old list or the new one. The list is tied to the HQ and terminal that fetched it: a
// till enrolled again (another terminal id) or pointed at another HQ ignores it. Nothing in it is secret
// (credentials are public), but the addresses map the store's network, hence 0600 too. A damaged file is
// no error: it is a cache, fetched again at the next contact with HQ.
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { isoInstant } from '../../src-shared/ledger/member.js';
import { storePeersResponseSchema } from '../../src-shared/sync/wire.js';
import { writeFileAtomically } from './credential-store.js';

export const peerCacheEntrySchema = z
  .object({
    hqUrl: z.url(),
    terminalId: z.string().min(1).max(64),
    fetchedAt: isoInstant,
    peers: storePeersResponseSchema,
  })
  .strict();
export type PeerCacheEntry = z.infer<typeof peerCacheEntrySchema>;

export interface PeerCache {
  /** The cached list, or null: none, damaged, or unreadable. */
  load(): Promise<PeerCacheEntry | null>;
  save(entry: PeerCacheEntry): Promise<void>;
  clear(): Promise<void>;
}

export function filePeerCache(path: string): PeerCache {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return null;
      }
      try {
        const parsed = peerCacheEntrySchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async save(entry) {
      await writeFileAtomically(path, `${JSON.stringify(peerCacheEntrySchema.parse(entry))}\n`);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}
