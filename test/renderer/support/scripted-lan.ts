// A scripted host with the store LAN (issue 16) for the renderer's tests: the scripted HQ plus main's
// store-LAN entries, serving the peers' events the test "received" and pushing their news, as
// src-main/host/host-api.ts does with a LAN.
import type { LanStatus, PeerEventsChanged } from '../../../src-shared/ipc/lan-api.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { FakeHq } from './scripted-hq.js';

export class LanHq extends FakeHq {
  /** The peers' events main holds, as received (any order). */
  readonly peers: LedgerEvent[] = [];
  /** Every peerEvents question: the member id asked for. */
  readonly asked: string[] = [];
  /** Answer peerEvents with a failure (main restarting, the channel closed). */
  failPeerEvents = false;
  status: LanStatus = { enabled: true, reachable: 0, known: 0 };
  /** Every keepOwnEvents hand-over: the till's own events as they were recorded. */
  readonly kept: LedgerEvent[][] = [];
  private readonly peerListeners = new Set<(m: PeerEventsChanged) => void>();
  private readonly statusListeners = new Set<(s: LanStatus) => void>();

  /** Main stores peers' events: kept, and their members named to the renderer. */
  receive(...events: LedgerEvent[]): void {
    this.peers.push(...events);
    const memberIds = [...new Set(events.map((e) => e.memberId))];
    for (const l of this.peerListeners) l({ memberIds });
  }

  setStatus(status: LanStatus): void {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  /** How many onPeerEvents listeners are subscribed. */
  get peerListenerCount(): number {
    return this.peerListeners.size;
  }

  peerEvents(memberId: string): Promise<LedgerEvent[]> {
    this.asked.push(memberId);
    if (this.failPeerEvents) return Promise.reject(new Error('main did not answer'));
    const mine = this.peers
      .filter((e) => e.memberId === memberId)
      .sort((a, b) =>
        a.terminalId === b.terminalId ? a.terminalSeq - b.terminalSeq : a.terminalId < b.terminalId ? -1 : 1,
      );
    return Promise.resolve(structuredClone(mine));
  }
  onPeerEvents(listener: (message: PeerEventsChanged) => void): () => void {
    this.peerListeners.add(listener);
    return () => this.peerListeners.delete(listener);
  }
  keepOwnEvents(events: LedgerEvent[]): Promise<null> {
    this.kept.push(structuredClone(events));
    return Promise.resolve(null);
  }
  lanStatus(): Promise<LanStatus> {
    return Promise.resolve(this.status);
  }
  onLanStatus(listener: (status: LanStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
}
