// Main's copy of the current program's loyalty card patterns, so that a serial frame is classified with
// the same patterns as a keyboard-wedge scan in the renderer. The program lives in the renderer's replica;
// main sees only what it pulls itself, so it follows the programs collection on its own, through the same
// HQ link and with the same rule for "current" as the renderer (src-shared/program/current.ts
// pickCurrentProgram): the current version published last, its patterns, or the program format's defaults
// when there is no usable program (src-shared/scan cardPatternsOf: the rule of the renderer's wedge path,
// src-renderer/hooks/use-scans.tsx).
//
// When: at start, on every stream (re)connection (RESYNC) and whenever HQ says the programs collection
// changed (a new version published), which is when the renderer pulls it too. Programs are a handful of
// documents, so each refresh pulls the whole collection from the beginning: no checkpoint to keep or to
// reset when the terminal is enrolled with another HQ. The patterns are kept in a file, so a till that
// starts offline classifies with the last program it knew, as its replica does.
import { pickCurrentProgram } from '../../src-shared/program/current.js';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { HqApi } from '../../src-shared/ipc/index.js';
import { programSchema } from '../../src-shared/program/schema.js';
import { cardPatternSchema, cardPatternsOf, type CardPattern } from '../../src-shared/scan/index.js';
import type { Checkpoint } from '../../src-shared/sync/wire.js';
import { writeFileAtomically } from '../hq/credential-store.js';
import { HqFollower } from './hq-follower.js';

/** Documents per pull request; the loop goes on while pages come back full. */
const PAGE = 500;

/** What the follower needs of a program document to choose the current one (the rest stays unparsed). */
const programRowSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  publishedAt: z.string(),
  version: z.number(),
  definition: z.unknown(),
  _deleted: z.boolean().optional(),
});
type ProgramRow = z.infer<typeof programRowSchema>;

const savedSchema = z
  .object({
    /** `<programId>@<version>` the patterns come from; null: none usable (the defaults apply). */
    programDocId: z.string().nullable(),
    patterns: z.array(cardPatternSchema),
  })
  .strict();
interface Saved {
  programDocId: string | null;
  patterns: readonly CardPattern[];
}

export interface CardPatternFollowerOptions {
  link: Pick<HqApi, 'hqStatus' | 'pull' | 'onHqStream'>;
  /** The JSON file the last known patterns are kept in. */
  file: string;
  logger: Logger;
}

export class CardPatternFollower {
  private readonly link: CardPatternFollowerOptions['link'];
  private readonly file: string;
  private readonly log: Logger;
  private saved: Saved;
  private readonly follower: HqFollower;
  private readonly listeners = new Set<() => void>();

  constructor(options: CardPatternFollowerOptions) {
    this.link = options.link;
    this.file = options.file;
    this.log = options.logger;
    this.saved = this.load();
    this.follower = new HqFollower(this.link, 'programs', () => this.pullOnce());
  }

  /** The patterns to classify a serial frame with now. */
  patterns(): readonly CardPattern[] {
    return this.saved.patterns;
  }

  /** The program document the patterns come from (null: the defaults). */
  source(): string | null {
    return this.saved.programDocId;
  }

  /** Follows HQ's stream (the programs collection) and refreshes once now; idempotent. */
  start(): void {
    this.follower.start();
  }

  /** Stops following; resolves once a pull under way has ended (and its patterns are saved). */
  stop(): Promise<void> {
    return this.follower.stop();
  }

  /**
   * Pulls the programs collection and takes the current program's patterns. Never rejects; an HQ that
   * cannot be reached leaves the last known patterns in place.
   */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  /** Calls `listener` after each change of the patterns; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private async pullOnce(): Promise<void> {
    // Not enrolled: nothing to pull (asking would leave a not-enrolled error in the link's status); the
    // enrollment starts the stream, whose RESYNC brings us back.
    const status = await this.link.hqStatus().catch(() => null);
    if (!status?.enrolled) return;
    const rows = new Map<string, ProgramRow>();
    let checkpoint: Checkpoint | null = null;
    for (;;) {
      const page: Awaited<ReturnType<HqApi['pull']>> | null = await this.link
        .pull('programs', checkpoint, PAGE)
        .catch(() => null);
      if (!page?.ok) {
        // Offline or not enrolled: keep what we know; the stream's next RESYNC tries again.
        if (page) this.log.debug({ code: page.error.code }, 'programs not pulled');
        return;
      }
      for (const document of page.value.documents) {
        const row = programRowSchema.safeParse(document);
        if (row.success) rows.set(row.data.id, row.data);
      }
      checkpoint = page.value.checkpoint;
      if (page.value.documents.length < PAGE) break;
    }
    const current = pickCurrentProgram(rows.values());
    const program = current ? programSchema.safeParse(current.definition) : null;
    const next: Saved = {
      programDocId: program?.success && current ? current.id : null,
      patterns: cardPatternsOf(program?.success ? program.data : null),
    };
    if (program && !program.success)
      this.log.warn({ program: current?.id }, 'the current program is invalid: default card patterns');
    if (JSON.stringify(next) === JSON.stringify(this.saved)) return;
    this.saved = next;
    this.log.info({ program: next.programDocId }, 'card patterns updated');
    try {
      await writeFileAtomically(this.file, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      this.log.warn({ error: (error as Error).message }, 'card patterns not saved');
    }
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One listener's failure must not starve the others.
      }
    }
  }

  /** The last saved patterns; the defaults when there are none (first start) or the file is unreadable. */
  private load(): Saved {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return { programDocId: null, patterns: cardPatternsOf(null) };
    }
    try {
      return savedSchema.parse(JSON.parse(text));
    } catch {
      this.log.warn(
        { file: this.file },
        'unreadable card patterns file: default card patterns until HQ answers',
      );
      return { programDocId: null, patterns: cardPatternsOf(null) };
    }
  }
}
