// The till's signed event log for the store LAN (issue 16): the till's own events, each signed with its
// terminal key (signEvent), and the peers' events it accepted (acceptPeerPage), kept per origin terminal in
// the till's data folder, one append-only JSON-lines file per origin. It is what the LAN server serves and
// what a till relays to HQ for a peer that went silent, so it must survive a crash:
// - every append is one write of whole lines then fdatasync, and the in-memory index (what is served)
//   moves only after the sync: nothing is served that a power cut could take back;
// - at open each file is read once and checked line by line (JSON, envelope schema, origin, store, hash,
//   chain link). A torn last line (no newline: the write was cut) is dropped and the file truncated to the
//   last whole line, so the next append never glues onto it. A whole line that fails a check (a disk
//   fault; an honest writer never writes one) ends the file's valid prefix: it and what follows are moved
//   to `<file>.quarantine` and the file is truncated, so the log stays a chain prefix of its origin.
// Signatures are not re-verified at open (about 1–2 ms each in pure JS): every line was verified (a peer's)
// or made (the till's own) before it was written, and the hash and chain checks catch a damaged line.
// Peer pages are taken one at a time (acceptPeerPage against the checkpoint, then the append, in one
// queue), so two peers relaying the same origin at once can never write an event twice.
// Peers' events are indexed by member in memory (origin and seq, no content), so the renderer's question
// "what have the store's other tills done for this member" (TerminalApi.peerEvents) reads only those lines.
import { mkdir, open, readdir, readFile, appendFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { acceptPeerPage, type PeerPageResult } from '../../src-shared/lan/peer-log.js';
import { signEvent, signedEventSchema, type SignedEvent } from '../../src-shared/lan/signature.js';
import type { TerminalCredential } from '../../src-shared/lan/credential.js';
import { eventHash, type ChainHead } from '../../src-shared/ledger/chain.js';
import { GENESIS_HASH, type LedgerEvent } from '../../src-shared/ledger/events.js';

/** The most envelopes one page read returns, whatever is asked. */
export const MAX_PAGE = 1_000;
/** The most of one member's peers' events peerEventsOf returns (the newest, when there are more). */
export const MAX_MEMBER_EVENTS = 10_000;

const FILE_SUFFIX = '.jsonl';
const NEWLINE = 0x0a;

/** An origin terminal's file name: its id's UTF-8 bytes in hex, so any id is a safe, distinct name. */
export const originFileName = (terminalId: string): string =>
  `${Buffer.from(terminalId, 'utf8').toString('hex')}${FILE_SUFFIX}`;

function originOfFileName(name: string): string | null {
  if (!name.endsWith(FILE_SUFFIX)) return null;
  const hex = name.slice(0, -FILE_SUFFIX.length);
  if (hex.length === 0 || hex.length > 128 || !/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  const id = Buffer.from(hex, 'hex').toString('utf8');
  return originFileName(id) === name ? id : null;
}

/** One origin's file, indexed: line i holds the event of terminalSeq i + 1. */
interface OriginFile {
  path: string;
  /** The hash of each held event, by seq − 1. */
  hashes: string[];
  /** The byte just after each line's newline, by seq − 1. */
  ends: number[];
  /** The member of each held event, by seq − 1. */
  members: string[];
  handle: FileHandle | null;
}

/** What opening the log found and repaired, per origin file. */
export interface LogRepair {
  origin: string;
  /** Bytes of a torn last line, dropped. */
  tornBytes: number;
  /** Whole lines that failed a check, moved with what followed them to the quarantine file. */
  quarantinedLines: number;
  /** Why the first quarantined line failed. */
  problem: string | null;
}

export interface OriginHead extends ChainHead {
  origin: string;
}

export interface SignedLogOptions {
  /** The folder of the log (created if missing), e.g. `<data folder>/lan`. */
  dir: string;
  /** This till's terminal and store. */
  terminalId: string;
  storeId: string;
  /** This till's terminal secret key: it signs the till's own events. */
  secretKey: Uint8Array;
}

/** Why a line at open is not a link of its origin's chain; null when it is. */
function lineProblem(
  value: unknown,
  origin: string,
  storeId: string,
  prev: ChainHead,
): { problem: string } | { signed: SignedEvent } {
  const parsed = signedEventSchema.safeParse(value);
  if (!parsed.success) return { problem: 'not a signed event' };
  const { event } = parsed.data;
  if (event.terminalId !== origin) return { problem: `an event of terminal ${event.terminalId}` };
  if (event.storeId !== storeId) return { problem: `an event of store ${event.storeId}` };
  if (event.terminalSeq !== prev.terminalSeq + 1 || event.prevHash !== prev.hash)
    return { problem: `event ${event.terminalSeq} does not follow event ${prev.terminalSeq}` };
  if (eventHash(event) !== event.hash)
    return { problem: `event ${event.terminalSeq} does not match its hash` };
  return { signed: parsed.data };
}

export class SignedLog {
  private readonly origins = new Map<string, OriginFile>();
  /** Peers' events by member: origin → seqs, ascending (the till's own are not indexed). */
  private readonly byMember = new Map<string, Map<string, number[]>>();
  /** The write queue: appends and peer pages run one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly options: SignedLogOptions,
    /** What open repaired (empty for clean files). */
    readonly repairs: readonly LogRepair[],
  ) {}

  /** Opens (or creates) the log in `dir`, checking and repairing every origin's file (see the header). */
  static async open(options: SignedLogOptions): Promise<SignedLog> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const repairs: LogRepair[] = [];
    const loaded = new Map<string, OriginFile>();
    for (const name of (await readdir(options.dir)).sort()) {
      const origin = originOfFileName(name);
      if (origin === null) continue;
      const path = join(options.dir, name);
      const { file, repair } = await loadOrigin(path, origin, options.storeId);
      loaded.set(origin, file);
      if (repair) repairs.push(repair);
    }
    const log = new SignedLog(options, repairs);
    for (const [origin, file] of loaded) {
      log.origins.set(origin, file);
      if (origin !== options.terminalId)
        for (const [i, member] of file.members.entries()) log.index(member, origin, i + 1);
    }
    return log;
  }

  get terminalId(): string {
    return this.options.terminalId;
  }

  get storeId(): string {
    return this.options.storeId;
  }

  /** Where the log's copy of `origin`'s chain stands; null when it holds none of its events. */
  head(origin: string): ChainHead | null {
    const file = this.origins.get(origin);
    const count = file?.hashes.length ?? 0;
    if (!file || count === 0) return null;
    return { terminalSeq: count, hash: file.hashes[count - 1] ?? GENESIS_HASH };
  }

  /** Every origin the log holds events of, with its head, the till's own first. */
  heads(): OriginHead[] {
    const result: OriginHead[] = [];
    for (const origin of this.origins.keys()) {
      const head = this.head(origin);
      if (head) result.push({ origin, ...head });
    }
    return result.sort((a, b) =>
      a.origin === this.terminalId ? -1 : b.origin === this.terminalId ? 1 : a.origin < b.origin ? -1 : 1,
    );
  }

  /** The hash of `origin`'s event at `terminalSeq`, when held. */
  heldHash(origin: string, terminalSeq: number): string | undefined {
    if (!Number.isSafeInteger(terminalSeq) || terminalSeq < 1) return undefined;
    return this.origins.get(origin)?.hashes[terminalSeq - 1];
  }

  /** Up to `limit` (at most MAX_PAGE) of `origin`'s envelopes after `afterSeq`, in chain order. */
  async readPage(origin: string, afterSeq: number, limit: number): Promise<SignedEvent[]> {
    const file = this.origins.get(origin);
    const count = Math.min(Math.max(0, Math.floor(limit)), MAX_PAGE);
    const from = Math.max(0, Math.floor(afterSeq));
    if (!file || count === 0 || from >= file.hashes.length) return [];
    const to = Math.min(file.hashes.length, from + count);
    const start = from === 0 ? 0 : (file.ends[from - 1] ?? 0);
    const end = file.ends[to - 1] ?? start;
    const buffer = Buffer.alloc(end - start);
    const reader = await open(file.path, 'r');
    try {
      await reader.read(buffer, 0, buffer.length, start);
    } finally {
      await reader.close();
    }
    // Lines were checked at open or before their append: parse, no re-check.
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as SignedEvent);
  }

  /**
   * The peers' events this log holds for `member` (never the till's own), oldest first by (terminalId,
   * terminalSeq); at most MAX_MEMBER_EVENTS, the newest per that order when there are more.
   */
  async peerEventsOf(member: string): Promise<LedgerEvent[]> {
    const held = this.byMember.get(member);
    if (!held) return [];
    const wanted: Array<{ origin: string; seq: number }> = [];
    for (const origin of [...held.keys()].sort()) {
      for (const seq of held.get(origin) ?? []) wanted.push({ origin, seq });
    }
    const events: LedgerEvent[] = [];
    let from = Math.max(0, wanted.length - MAX_MEMBER_EVENTS);
    while (from < wanted.length) {
      const origin = wanted[from]?.origin ?? '';
      let to = from;
      while (to < wanted.length && wanted[to]?.origin === origin) to += 1;
      const seqs = wanted.slice(from, to).map((w) => w.seq);
      for (const envelope of await this.readLines(origin, seqs)) events.push(envelope.event);
      from = to;
    }
    return events;
  }

  /** The members that peers' events of `origin` from `afterSeq` on are about (for change notices). */
  membersOf(origin: string, afterSeq: number, toSeq: number): string[] {
    const members = this.origins.get(origin)?.members.slice(Math.max(0, afterSeq), toSeq) ?? [];
    return [...new Set(members)];
  }

  /**
   * Signs and appends the till's own sealed events, which must continue its chain (an event already held,
   * the same hash at its seq, is skipped: appending is idempotent). Returns the envelopes appended. Throws,
   * appending none, when an event is another terminal's or store's, altered, or not the next link.
   */
  appendOwn(events: readonly LedgerEvent[]): Promise<SignedEvent[]> {
    return this.exclusive(async () => {
      const own = this.terminalId;
      let head = this.head(own) ?? { terminalSeq: 0, hash: GENESIS_HASH };
      const fresh: SignedEvent[] = [];
      for (const event of events) {
        if (event.terminalId !== own || event.storeId !== this.storeId)
          throw new Error(`event ${event.id} is not this till's (${own}, store ${this.storeId})`);
        if (event.terminalSeq <= head.terminalSeq) {
          const held =
            event.terminalSeq === head.terminalSeq ? head.hash : this.heldHash(own, event.terminalSeq);
          if (held === event.hash) continue;
          throw new Error(`event ${event.terminalSeq} differs from the one this till holds at that seq`);
        }
        if (event.terminalSeq !== head.terminalSeq + 1 || event.prevHash !== head.hash)
          throw new Error(`event ${event.terminalSeq} does not follow event ${head.terminalSeq}`);
        // signEvent checks the hash against the content.
        fresh.push(signEvent(event, this.options.secretKey));
        head = { terminalSeq: event.terminalSeq, hash: event.hash };
      }
      await this.write(own, fresh);
      return fresh;
    });
  }

  /**
   * Takes a page of `credential`'s terminal's envelopes as a peer served it: acceptPeerPage against this
   * log's checkpoint of that origin, then the accepted events appended, in one step of the write queue.
   * The credential must be admitted already (admitPeer). The till's own events coming back from a peer are
   * never taken (this log is their source).
   */
  ingestPeerPage(credential: TerminalCredential, envelopes: readonly unknown[]): Promise<PeerPageResult> {
    return this.exclusive(async () => {
      const origin = credential.terminalId;
      if (origin === this.terminalId) throw new Error("a peer's page of this till's own events");
      const result = acceptPeerPage({
        checkpoint: this.head(origin),
        credential,
        storeId: this.storeId,
        envelopes,
        heldHash: (seq) => this.heldHash(origin, seq),
      });
      await this.write(origin, result.accepted);
      return result;
    });
  }

  /** Closes the files; later calls fail. */
  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.closed = true;
      for (const file of this.origins.values()) {
        await file.handle?.close();
        file.handle = null;
      }
    });
  }

  private index(member: string, origin: string, seq: number): void {
    let origins = this.byMember.get(member);
    if (!origins) {
      origins = new Map();
      this.byMember.set(member, origins);
    }
    const seqs = origins.get(origin);
    if (seqs) seqs.push(seq);
    else origins.set(origin, [seq]);
  }

  /** The envelopes at `seqs` (held, ascending) of one origin, each line read on its own. */
  private async readLines(origin: string, seqs: readonly number[]): Promise<SignedEvent[]> {
    const file = this.origins.get(origin);
    if (!file || seqs.length === 0) return [];
    const reader = await open(file.path, 'r');
    try {
      const envelopes: SignedEvent[] = [];
      for (const seq of seqs) {
        const start = seq === 1 ? 0 : (file.ends[seq - 2] ?? 0);
        const end = file.ends[seq - 1];
        if (end === undefined) continue;
        const buffer = Buffer.alloc(end - start);
        await reader.read(buffer, 0, buffer.length, start);
        // Lines were checked at open or before their append: parse, no re-check.
        envelopes.push(JSON.parse(buffer.toString('utf8')) as SignedEvent);
      }
      return envelopes;
    } finally {
      await reader.close();
    }
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.closed) throw new Error('the signed log is closed');
      return run();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Appends whole lines, syncs, then (only then) indexes them. */
  private async write(origin: string, envelopes: readonly SignedEvent[]): Promise<void> {
    if (envelopes.length === 0) return;
    let file = this.origins.get(origin);
    if (!file) {
      file = {
        path: join(this.options.dir, originFileName(origin)),
        hashes: [],
        ends: [],
        members: [],
        handle: null,
      };
      this.origins.set(origin, file);
    }
    if (!file.handle) {
      const created = file.hashes.length === 0;
      file.handle = await open(file.path, 'a', 0o600);
      // A new file's name must survive a power cut too: sync its folder.
      if (created) await syncDir(this.options.dir);
    }
    const lines = envelopes.map((e) => Buffer.from(`${JSON.stringify(e)}\n`, 'utf8'));
    const before = file.ends.at(-1) ?? 0;
    try {
      await file.handle.write(Buffer.concat(lines));
      await file.handle.datasync();
    } catch (error) {
      // Best effort: take back a partial write so the file keeps whole lines (open would drop them anyway).
      await file.handle.truncate(before).catch(() => undefined);
      throw error;
    }
    let end = before;
    for (const [i, envelope] of envelopes.entries()) {
      end += lines[i]?.length ?? 0;
      file.hashes.push(envelope.event.hash);
      file.ends.push(end);
      file.members.push(envelope.event.memberId);
      if (origin !== this.terminalId) this.index(envelope.event.memberId, origin, envelope.event.terminalSeq);
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse to sync a directory; the data's own sync has been done.
  } finally {
    await handle.close();
  }
}

/** Reads and checks one origin's file, repairing a torn or damaged tail (see the header). */
async function loadOrigin(
  path: string,
  origin: string,
  storeId: string,
): Promise<{ file: OriginFile; repair: LogRepair | null }> {
  const bytes = await readFile(path);
  const hashes: string[] = [];
  const ends: number[] = [];
  const members: string[] = [];
  let prev: ChainHead = { terminalSeq: 0, hash: GENESIS_HASH };
  let start = 0;
  let problem: string | null = null;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline === -1) break;
    let value: unknown;
    try {
      value = JSON.parse(bytes.subarray(start, newline).toString('utf8'));
    } catch {
      problem = `line ${hashes.length + 1} is not JSON`;
      break;
    }
    const checked = lineProblem(value, origin, storeId, prev);
    if ('problem' in checked) {
      problem = `line ${hashes.length + 1}: ${checked.problem}`;
      break;
    }
    prev = { terminalSeq: checked.signed.event.terminalSeq, hash: checked.signed.event.hash };
    hashes.push(prev.hash);
    members.push(checked.signed.event.memberId);
    start = newline + 1;
    ends.push(start);
  }
  const valid = start;
  let repair: LogRepair | null = null;
  if (valid < bytes.length) {
    const tail = bytes.subarray(valid);
    const quarantinedLines = problem === null ? 0 : tail.toString('utf8').split('\n').filter(Boolean).length;
    if (problem !== null) await appendFile(`${path}.quarantine`, tail, { mode: 0o600 });
    const handle = await open(path, 'r+');
    try {
      await handle.truncate(valid);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    repair = {
      origin,
      tornBytes: problem === null ? tail.length : 0,
      quarantinedLines,
      problem,
    };
  }
  return { file: { path, hashes, ends, members, handle: null }, repair };
}
