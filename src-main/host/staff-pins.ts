// Cashier and manager PINs, checked in main only (docs/architecture.md section 3, "PINs"). Two parts:
//
// - StaffPinFollower: the PIN hashes of the terminal's store's staff, fetched from HQ by main itself
//   (GET /v1/staff-pins through the link, never through TerminalApi), kept in memory and in a 0600 file in
//   the terminal's data folder so a till that starts offline still signs people in. Refreshed at start, on
//   every stream (re)connection (RESYNC), when HQ says the cashiers changed, and (at most every
//   MISS_REFRESH_MS) when asked for someone it does not know. The whole list each time: a removed
//   cashier's PIN is forgotten at the next refresh.
// - PinChecker: checkPin over the follower, behind the per-person wrong-PIN lockout of
//   src-shared/kernel/pin-lockout.ts, whose state is kept in a 0600 file written atomically before the
//   answer leaves, so neither a reload of the page nor a restart of main gives a guesser fresh tries.
//
// The gate, the scrypt check and the new lockout state happen in one synchronous stretch: two checks sent
// at once for the same person cannot both pass the gate on the same count.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PinCheckAnswer, PinCheckRequest } from '../../src-shared/ipc/terminal-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { verifyPin } from '../../src-shared/kernel/pin.js';
import {
  afterPinAttempt,
  pinGate,
  PIN_LOCKOUT_RULES,
  type PinAttempts,
  type PinLockoutRules,
} from '../../src-shared/kernel/pin-lockout.js';
import type { HqResult } from '../../src-shared/ipc/hq-api.js';
import { staffPinSchema, type StaffPin } from '../../src-shared/sync/wire.js';
import { writeFileAtomically } from '../hq/credential-store.js';
import { HqFollower, type HqStreamSource } from './hq-follower.js';

/** The file in dataDir with the staff PIN hashes. */
export const STAFF_PINS_FILE = 'staff-pins.json';
/** The file in dataDir with the wrong-PIN counts and lockouts. */
export const PIN_ATTEMPTS_FILE = 'pin-attempts.json';
/** A PIN check for someone unknown refreshes the list at most this often (a new cashier, a missed change). */
export const MISS_REFRESH_MS = 10_000;

/** Reads a JSON file through a schema: null when it is missing; `damaged` when it cannot be used. */
function readJson<T>(file: string, schema: z.ZodType<T>): T | null | 'damaged' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'damaged';
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'damaged';
  } catch {
    return 'damaged';
  }
}

// ---- the hashes ---------------------------------------------------------------------------------------

const savedPinsSchema = z.object({ staff: z.array(staffPinSchema) }).strict();

export interface StaffPinFollowerOptions {
  link: {
    staffPins(): Promise<HqResult<StaffPin[]>>;
    onHqStream: HqStreamSource['onHqStream'];
    hqStatus(): Promise<{ enrolled: boolean }>;
  };
  file: string;
  clock: Clock;
  logger: Logger;
}

export class StaffPinFollower {
  private staff = new Map<string, StaffPin>();
  private readonly follower: HqFollower;
  private lastMissRefresh: number | null = null;

  constructor(private readonly options: StaffPinFollowerOptions) {
    this.follower = new HqFollower(options.link, 'cashiers', () => this.fetchOnce());
    const saved = readJson(options.file, savedPinsSchema);
    if (saved === 'damaged')
      options.logger.warn({ file: options.file }, 'unreadable staff PIN file: no PINs until HQ answers');
    else if (saved) this.staff = new Map(saved.staff.map((s) => [s.id, s]));
  }

  /** The person with this id and their PIN hash, if HQ sent them. */
  find(id: string): StaffPin | undefined {
    return this.staff.get(id);
  }

  /** Follows HQ's stream (the cashiers collection) and refreshes once now; idempotent. */
  start(): void {
    this.follower.start();
  }

  /** Stops following; resolves once a fetch under way has ended. */
  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Fetches the list from HQ; never rejects (HQ out of reach leaves the last known list in place). */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  /** Refreshes for someone not in the list, unless that was done less than MISS_REFRESH_MS ago. */
  async refreshForMiss(): Promise<void> {
    const now = this.options.clock.now();
    if (this.lastMissRefresh !== null && now - this.lastMissRefresh < MISS_REFRESH_MS) return;
    this.lastMissRefresh = now;
    await this.refresh();
  }

  private async fetchOnce(): Promise<void> {
    const { link, logger, file } = this.options;
    // Not enrolled: asking would only leave a not-enrolled error in the link's status.
    const status = await link.hqStatus().catch(() => null);
    if (!status?.enrolled) return;
    const answer = await link.staffPins().catch(() => null);
    if (!answer?.ok) {
      if (answer) logger.debug({ code: answer.error.code }, 'staff PINs not fetched');
      return;
    }
    const next = new Map(answer.value.map((s) => [s.id, s]));
    const same =
      next.size === this.staff.size &&
      [...next].every(([id, s]) => JSON.stringify(this.staff.get(id)) === JSON.stringify(s));
    if (same) return;
    this.staff = next;
    logger.info({ staff: next.size }, 'staff PINs updated');
    try {
      await writeFileAtomically(file, `${JSON.stringify({ staff: answer.value })}\n`);
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'staff PINs not saved');
    }
  }
}

// ---- the check ----------------------------------------------------------------------------------------

const attemptsSchema = z
  .object({
    failures: z.number().int().nonnegative(),
    lockouts: z.number().int().nonnegative(),
    lockedUntil: z.number().int().nullable(),
  })
  .strict();
const savedAttemptsSchema = z.object({ staff: z.record(z.string(), attemptsSchema) }).strict();

export interface PinCheckerOptions {
  staff: Pick<StaffPinFollower, 'find' | 'refreshForMiss'>;
  /** The JSON file of wrong-PIN counts and lockouts. */
  file: string;
  clock: Clock;
  logger: Logger;
  rules?: PinLockoutRules;
}

export class PinChecker {
  private readonly attempts = new Map<string, PinAttempts>();
  private readonly rules: PinLockoutRules;
  /** Saves, one after the other, each of the state at its turn. */
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: PinCheckerOptions) {
    this.rules = options.rules ?? PIN_LOCKOUT_RULES;
    const saved = readJson(options.file, savedAttemptsSchema);
    if (saved === 'damaged')
      // Lost counts give a guesser fresh tries; say so loudly. (Only someone who can write main's data
      // folder can cause it, and they have easier ways in.)
      options.logger.error({ file: options.file }, 'unreadable PIN attempts file: wrong-PIN counts restart');
    else if (saved) for (const [id, a] of Object.entries(saved.staff)) this.attempts.set(id, a);
  }

  /** TerminalApi.checkPin. */
  async checkPin(request: PinCheckRequest): Promise<PinCheckAnswer> {
    let person = this.options.staff.find(request.staffId);
    if (!person) {
      await this.options.staff.refreshForMiss();
      person = this.options.staff.find(request.staffId);
    }
    if (!person || (request.purpose === 'manager' && person.role !== 'manager'))
      return { ok: false, reason: 'unknown-staff' };

    // From here to the new state: no await, so concurrent checks see each other's counts.
    const now = this.options.clock.now();
    const before = this.attempts.get(person.id);
    const gate = pinGate(before, now, this.rules);
    if (!gate.open)
      return { ok: false, reason: 'locked', lockedUntil: new Date(gate.lockedUntil).toISOString() };
    const right = verifyPin(request.pin, person.pinHash);
    const after = afterPinAttempt(before, right, now, this.rules);
    if (after) this.attempts.set(person.id, after);
    else this.attempts.delete(person.id);
    if (before !== undefined || after !== null) await this.save();

    if (right) return { ok: true, staff: { id: person.id, name: person.name, role: person.role } };
    const next = pinGate(after ?? undefined, now, this.rules);
    return next.open
      ? { ok: false, reason: 'wrong-pin', triesLeft: next.triesLeft }
      : // This wrong PIN started a lockout.
        {
          ok: false,
          reason: 'wrong-pin',
          triesLeft: 0,
          lockedUntil: new Date(next.lockedUntil).toISOString(),
        };
  }

  /** Resolves once everything recorded so far is on disk (or its failure logged). */
  flushed(): Promise<void> {
    return this.saving;
  }

  private save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const staff = Object.fromEntries(this.attempts);
      try {
        await writeFileAtomically(this.options.file, `${JSON.stringify({ staff })}\n`);
      } catch (error) {
        // The lockout still holds in memory until main restarts.
        this.options.logger.error({ error: (error as Error).message }, 'PIN attempts not saved');
      }
    });
    return this.saving;
  }
}
