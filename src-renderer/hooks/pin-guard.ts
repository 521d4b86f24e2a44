// Wrong-PIN lockout: after `maxFailures` wrong PINs in a row the keypad refuses PINs for `lockMs`. A
// 4-digit PIN has 10,000 values; with 5 tries per 30 s, guessing one takes days at the counter, in view
// of everyone. One guard for the whole terminal (cashier sign-in and manager approval alike), so trying
// another name does not reset the count. Kept in memory: a kiosk does not reload its page.
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 30_000;

export class PinGuard {
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    private readonly maxFailures = MAX_PIN_FAILURES,
    private readonly lockMs = PIN_LOCK_MS,
  ) {}

  /** Milliseconds left in a lockout, 0 when PINs may be tried. */
  lockedFor(now: number): number {
    return Math.max(0, this.lockedUntil - now);
  }

  /** Records a wrong PIN; returns the lockout that starts now (0 when none). */
  failed(now: number): number {
    this.failures += 1;
    if (this.failures < this.maxFailures) return 0;
    this.failures = 0;
    this.lockedUntil = now + this.lockMs;
    return this.lockMs;
  }

  /** Wrong PINs left before a lockout. */
  get remaining(): number {
    return this.maxFailures - this.failures;
  }

  succeeded(): void {
    this.failures = 0;
  }
}

/** The terminal's guard. */
export const pinGuard = new PinGuard();

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong'; remaining: number; lockedMs: number }
  | { ok: false; reason: 'locked'; lockedMs: number };

/**
 * Checks a PIN against a staff member's replicated hash, through the guard. scrypt takes tens of
 * milliseconds on the main thread: the caller shows "Checking…" first, and this waits a frame so it paints.
 */
export async function checkPin(
  guard: PinGuard,
  verify: (pin: string, hash: string) => boolean,
  pin: string,
  hash: string,
  now: () => number = Date.now,
): Promise<PinCheck> {
  const locked = guard.lockedFor(now());
  if (locked > 0) return { ok: false, reason: 'locked', lockedMs: locked };
  await new Promise((resolve) => setTimeout(resolve, 16));
  if (verify(pin, hash)) {
    guard.succeeded();
    return { ok: true };
  }
  const lockedMs = guard.failed(now());
  return { ok: false, reason: 'wrong', remaining: guard.remaining, lockedMs };
}
