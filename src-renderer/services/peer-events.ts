// The store's other tills' events for a member (issue 16): main holds them (src-main/lan, verified when
// stored) and the renderer asks for those of the members it shows, so a redemption on till A lowers the
// balance and the store's offline allowance on till B's member screen. They are kept in memory per shown
// member, NOT in the replica: the replica's collections are HQ's and this till's (and RxDB's open-source
// build allows 13 collections in all), and main already keeps them durably.
//
// Only the peers' events HQ has not counted in this till's replica matter: an event HQ counted is in HQ's
// member document (balance, allowance) already. The rule is the one the till uses for its own events
// (isPending, src-shared/ledger/pending.ts): HQ's member's `seen` map says up to which terminalSeq of each
// terminal HQ posted into the member.
import { filter, map, Subject, type Observable } from 'rxjs';
import type { PeerEventsChanged } from '../../src-shared/ipc/lan-api.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Member } from '../../src-shared/ledger/member.js';
import { isPending, type LocalEvent } from '../../src-shared/ledger/pending.js';

/** What the services need of the host's LAN entries (TerminalApi's peerEvents and onPeerEvents). */
export interface PeerEventsSource {
  peerEvents(memberId: string): Promise<LedgerEvent[]>;
  onPeerEvents(listener: (message: PeerEventsChanged) => void): () => void;
}

/** How many members' peer events are kept at once: the member shown and a few recently looked up. */
export const PEER_CACHE_MEMBERS = 16;

/**
 * The peers' events for `memberId` that HQ has not counted in the replica's member `hq` (null: HQ sent no
 * document yet, so none is counted), as LocalEvents with no memberSeq (HQ's posting status of a peer's
 * event never reaches this till). Events of this till itself (`ownTerminalId`) or already among its own
 * (`ownIds`) are dropped: main answers other tills' events only, and the till's own copy is the one counted.
 * Each event once by id.
 */
export function unconfirmedPeerEvents(
  hq: Member | null,
  events: readonly LedgerEvent[],
  memberId: string,
  own: { terminalId: string | null; ids: ReadonlySet<string> },
): LocalEvent[] {
  const seen = new Set<string>();
  const out: LocalEvent[] = [];
  for (const event of events) {
    if (event.memberId !== memberId || event.terminalId === own.terminalId) continue;
    if (own.ids.has(event.id) || seen.has(event.id)) continue;
    seen.add(event.id);
    const local: LocalEvent = { event, memberSeq: null };
    if (isPending(hq, local)) out.push(local);
  }
  return out;
}

/**
 * The peers' events of the members the counter shows, asked of main once per member and again when main
 * says it stored new ones for that member. Without a source (a host with no LAN) every member has none,
 * and nothing changes: the till behaves exactly as before issue 16.
 */
export class PeerEvents {
  private readonly cache = new Map<string, Promise<LedgerEvent[]>>();
  private readonly stored = new Subject<readonly string[]>();
  private readonly unsubscribe: () => void;

  constructor(private readonly source: PeerEventsSource | null) {
    // Listened to for the life of the services, not per shown member: a member read while no screen
    // watches them must not keep events main has since added to.
    this.unsubscribe = source
      ? source.onPeerEvents((message) => {
          for (const id of message.memberIds) this.cache.delete(id);
          this.stored.next(message.memberIds);
        })
      : () => undefined;
  }

  /**
   * The member's peers' events main holds (all of them, counted by HQ or not), oldest first by
   * (terminalId, terminalSeq). A failed ask counts as none and is not kept, so the next read asks again.
   */
  events(memberId: string): Promise<LedgerEvent[]> {
    if (!this.source) return Promise.resolve([]);
    const cached = this.cache.get(memberId);
    if (cached) {
      // Most recently used last: the oldest entry is the one dropped.
      this.cache.delete(memberId);
      this.cache.set(memberId, cached);
      return cached;
    }
    const asked: Promise<LedgerEvent[]> = this.source.peerEvents(memberId).catch(() => {
      if (this.cache.get(memberId) === asked) this.cache.delete(memberId);
      return [];
    });
    this.cache.set(memberId, asked);
    while (this.cache.size > PEER_CACHE_MEMBERS) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return asked;
  }

  /** Emits when main stored new peers' events for the member (what was kept for them is forgotten first). */
  changed$(memberId: string): Observable<void> {
    return this.stored.pipe(
      filter((ids) => ids.includes(memberId)),
      map(() => undefined),
    );
  }

  /** Stops listening to main (the terminal closes). */
  close(): void {
    this.unsubscribe();
    this.stored.complete();
    this.cache.clear();
  }
}
