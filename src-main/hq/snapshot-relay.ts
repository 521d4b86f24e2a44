// The till's side of HQ's member snapshot (format: src-shared/sync/snapshot.ts): main reads the NDJSON
// body as it arrives, checks every block's chained SHA-256 and every document against memberDocSchema —
// the one zod check a snapshot document gets, the renderer trusts it — and hands the renderer pages of
// whole verified blocks as it asks for them. The body is read only as fast as the renderer asks, so a
// million members never sit in memory.
//
// One snapshot response is kept open between pages. A request for the position the open response stands
// at continues it; any other (the renderer restarted, or the response was cut) opens a new one from that
// position at the same checkpoint. A block whose digest does not match, a document that does not fit, a
// body cut before its end line: the response is dropped and the verified blocks read so far are handed
// over; the next request resumes after them.
import { createHash } from 'node:crypto';
import type { HqError, HqResult } from '../../src-shared/ipc/hq-api.js';
import { err, ok } from '../../src-shared/kernel/result.js';
import {
  SnapshotChain,
  snapshotControlSchema,
  type Sha256,
  type SnapshotPage,
  type SnapshotPosition,
} from '../../src-shared/sync/snapshot.js';
import { memberDocSchema, type Checkpoint } from '../../src-shared/sync/wire.js';

/** Opens a snapshot response at a position (HqClient.openSnapshot). */
export type SnapshotOpener = (
  position: SnapshotPosition,
  signal: AbortSignal,
) => Promise<HqResult<ReadableStream<Uint8Array>>>;

export interface SnapshotRelayOptions {
  /** How long one read of the body may wait for bytes before the response counts as cut (default 30 s). */
  readTimeoutMs?: number;
}

const nodeSha256 = (): Sha256 => {
  const hash = createHash('sha256');
  return { update: (text) => void hash.update(text, 'utf8'), hex: () => hash.digest('hex') };
};

/** The response failed: `offline` when it was cut, `server-error` when what came does not fit. */
class SnapshotFailure extends Error {
  constructor(readonly error: HqError) {
    super(error.message);
  }
}
const cut = (why: string) =>
  new SnapshotFailure({ code: 'offline', message: `The snapshot was cut: ${why}` });
const unfit = (why: string) =>
  new SnapshotFailure({ code: 'server-error', message: `HQ's snapshot does not fit: ${why}` });

/** One open snapshot response, read line by line. */
class SnapshotResponse {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly chain = new SnapshotChain(nodeSha256);
  private lines: string[] = [];
  private rest = '';
  private ended = false;
  private counted = 0;
  checkpoint: Checkpoint = { seq: 0 };
  /** The last id handed out (or the position the response started after). */
  at: string | null = null;
  done = false;

  constructor(
    stream: ReadableStream<Uint8Array>,
    private readonly abort: AbortController,
    private readonly readTimeoutMs: number,
  ) {
    this.reader = stream.getReader();
  }

  /** Reads and checks the header against the position asked for. */
  async start(position: SnapshotPosition): Promise<void> {
    const line = await this.line();
    if (line === null) throw cut('no header');
    const header = this.control(line);
    if (header.snapshot !== 'header') throw unfit('it does not start with its header');
    if (header.after !== position.after) throw unfit('it does not start where it was asked to');
    if (position.checkpoint !== null && header.checkpoint.seq !== position.checkpoint.seq)
      throw unfit('it is not at the checkpoint it was asked at');
    this.chain.start(line);
    this.checkpoint = header.checkpoint;
    this.at = header.after;
  }

  /** The next verified block's documents, or null at the (verified) end. */
  async block(): Promise<unknown[] | null> {
    const docs: unknown[] = [];
    const ids: string[] = [];
    for (;;) {
      const line = await this.line();
      if (line === null) throw cut('its end line never came');
      if (!line.startsWith('{"snapshot":')) {
        this.chain.line(line);
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw unfit('a document line is not JSON');
        }
        const parsed = memberDocSchema.safeParse(value);
        if (!parsed.success)
          throw unfit(`a document is not a member (${parsed.error.issues[0]?.code ?? ''})`);
        docs.push(value);
        ids.push(parsed.data.id);
        continue;
      }
      const control = this.control(line);
      if (control.snapshot === 'block') {
        if (control.sha256 !== this.chain.seal()) throw unfit('a block does not match its checksum');
        if (control.count !== docs.length || control.last !== ids[ids.length - 1])
          throw unfit('a block does not hold what its line says');
        this.counted += docs.length;
        this.at = control.last;
        return docs;
      }
      if (control.snapshot === 'end') {
        if (docs.length > 0) throw unfit('documents after the last block');
        if (control.sha256 !== this.chain.current || control.count !== this.counted)
          throw unfit('its end does not match what came');
        this.done = true;
        return null;
      }
      throw unfit('a second header');
    }
  }

  close(): void {
    this.abort.abort();
    this.reader.cancel().catch(() => undefined);
  }

  private control(line: string) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw unfit('a line is not JSON');
    }
    const parsed = snapshotControlSchema.safeParse(value);
    if (!parsed.success) throw unfit('a control line does not fit');
    return parsed.data;
  }

  private async line(): Promise<string | null> {
    while (this.lines.length === 0) {
      if (this.ended) return null;
      const chunk = await this.read();
      if (chunk === null) {
        this.ended = true;
        if (this.rest.length > 0) throw cut('it ends inside a line');
        return null;
      }
      let text: string;
      try {
        text = this.rest + this.decoder.decode(chunk, { stream: true });
      } catch {
        throw unfit('it is not UTF-8');
      }
      const parts = text.split('\n');
      this.rest = parts.pop() ?? '';
      this.lines = parts;
    }
    return this.lines.shift() ?? null;
  }

  private async read(): Promise<Uint8Array | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(cut('no data for a while')), this.readTimeoutMs);
    });
    try {
      const { done, value } = await Promise.race([this.reader.read(), timeout]);
      return done ? null : value;
    } catch (error) {
      if (error instanceof SnapshotFailure) throw error;
      throw cut('the connection dropped');
    } finally {
      clearTimeout(timer);
    }
  }
}

export class SnapshotRelay {
  private open: SnapshotResponse | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly readTimeoutMs: number;

  constructor(options: SnapshotRelayOptions = {}) {
    this.readTimeoutMs = options.readTimeoutMs ?? 30_000;
  }

  /**
   * The next verified documents from `position`: whole blocks, at least `limit` documents unless the
   * snapshot ends first (or the response failed after some blocks: those are handed over, and the next
   * call resumes after them). One call at a time.
   */
  page(opener: SnapshotOpener, position: SnapshotPosition, limit: number): Promise<HqResult<SnapshotPage>> {
    const run = this.queue.then(() => this.read(opener, position, limit));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Drops the open response (the host is stopping, or the renderer gave up). */
  close(): void {
    this.open?.close();
    this.open = null;
  }

  private async read(
    opener: SnapshotOpener,
    position: SnapshotPosition,
    limit: number,
  ): Promise<HqResult<SnapshotPage>> {
    let response = this.open;
    if (!response || response.done || !this.continues(response, position)) {
      this.close();
      const abort = new AbortController();
      const opened = await opener(position, abort.signal);
      if (!opened.ok) return opened;
      response = new SnapshotResponse(opened.value, abort, this.readTimeoutMs);
      try {
        await response.start(position);
      } catch (error) {
        response.close();
        return err(failure(error));
      }
      this.open = response;
    }
    const documents: unknown[] = [];
    try {
      while (documents.length < limit) {
        const block = await response.block();
        if (block === null) break;
        for (const doc of block) documents.push(doc);
      }
    } catch (error) {
      this.close();
      if (documents.length === 0) return err(failure(error));
    }
    const page: SnapshotPage = {
      documents,
      checkpoint: response.checkpoint,
      last: response.at,
      done: response.done,
    };
    if (response.done) this.close();
    return ok(page);
  }

  private continues(response: SnapshotResponse, position: SnapshotPosition): boolean {
    return position.checkpoint?.seq === response.checkpoint.seq && position.after === response.at;
  }
}

function failure(error: unknown): HqError {
  if (error instanceof SnapshotFailure) return error.error;
  return { code: 'server-error', message: "HQ's snapshot could not be read." };
}
