// A terminal's pull loop over HTTP for the chaos tests: pulls a collection page by page from a checkpoint,
// retrying through 503s and cut connections (HQ killed, backends terminated) as the terminal does, and keeps
// every document id it was handed. A checkpoint that passed a row committed later shows up at the end as a
// row HQ holds that the puller never got.
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import type { CollectionName } from '../../src-shared/sync/wire.js';

export interface PullerOptions {
  /** HQ's base URL, read before each request (HQ may move, or the terminal may switch HQ process). */
  url: () => string;
  token: string;
  collection: CollectionName;
  /** Small pages make more checkpoints, and more chances to pass a row. */
  limit?: number;
}

export class Puller {
  /** The id of every document pulled (events by id, members by id). */
  readonly ids = new Set<string>();
  checkpoint = 0;
  /** Checkpoints that went backwards (must stay empty). */
  readonly backwards: string[] = [];
  /** Answers other than 200 and 503 (must stay empty). */
  readonly errors: string[] = [];
  pages = 0;

  constructor(private readonly options: PullerOptions) {}

  /** One page; false when HQ was unreachable or busy (retry), or the page was empty. */
  async page(): Promise<{ ok: boolean; documents: number }> {
    const { url, token, collection, limit = 7 } = this.options;
    let response: Response;
    try {
      response = await fetch(`${url()}/v1/pull/${collection}?checkpoint=${this.checkpoint}&limit=${limit}`, {
        headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      });
    } catch {
      return { ok: false, documents: 0 };
    }
    const text = await response.text();
    if (response.status === 503) return { ok: false, documents: 0 };
    if (response.status !== 200) {
      this.errors.push(`${response.status} ${text.slice(0, 200)}`);
      return { ok: false, documents: 0 };
    }
    const body = JSON.parse(text) as { documents: { id: string }[]; checkpoint: { seq: number } };
    for (const d of body.documents) this.ids.add(d.id);
    if (body.checkpoint.seq < this.checkpoint)
      this.backwards.push(`${this.checkpoint} -> ${body.checkpoint.seq}`);
    this.checkpoint = body.checkpoint.seq;
    this.pages += 1;
    return { ok: true, documents: body.documents.length };
  }

  /**
   * Pulls while `busy()`, pausing between pages as a terminal's sync loop does (a pace, not a wait for
   * anything: the pullers must not starve the pushes of a loaded HQ).
   */
  async race(busy: () => boolean): Promise<void> {
    while (busy()) {
      const { ok, documents } = await this.page();
      await new Promise((r) => setTimeout(r, ok && documents > 0 ? 50 : 150));
    }
  }

  /**
   * Pulls until a page comes back empty once everything is committed. A page held back at the horizon is
   * empty too, but only while a transaction that took numbers is still open; after the writers are done,
   * every such transaction has ended (a killed HQ's connections are closed and rolled back by PostgreSQL),
   * so `settled()` says when an empty page means "nothing more".
   */
  async drain(settled: () => Promise<boolean>, deadlineMs = 60_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`a ${this.options.collection} puller did not drain`);
      const ready = await settled();
      const { ok, documents } = await this.page();
      if (ok && documents === 0 && ready) return;
      if (!ok) await new Promise((r) => setTimeout(r, 20));
    }
  }
}
