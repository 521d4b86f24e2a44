// Keyboard-wedge scanners (USB HID, the most common setup) "type" their data followed by Enter. They are
// told apart from a person by timing: a scanner sends keys a few milliseconds apart, a person rarely
// faster than ~50 ms even in bursts. A frame is a run of printable keys, every gap within
// `maxGapMs`, at least `minLength` long, ended by the terminator within `maxGapMs` too.
//
// Keys of a burst are held back from the focused field until the burst is known: a scan swallows them,
// anything else (a slow key, a short run, a shortcut, or no key for longer than `maxGapMs`) releases them
// to the host, in order, to type into the field after all. A person typing a PIN at 20 ms a key loses
// nothing (`takeReleased`, `settle`).

export interface WedgeOptions {
  /** The longest gap between keys of one scan (scanners: 1–20 ms; fast typists: rarely under 50 ms). */
  maxGapMs: number;
  /** Shorter bursts are treated as typing (a person can hit two keys almost at once). */
  minLength: number;
  maxLength: number;
  terminators: readonly string[];
}

export const defaultWedgeOptions: WedgeOptions = {
  maxGapMs: 30,
  minLength: 6,
  maxLength: 512,
  terminators: ['Enter', 'Tab'],
};

/** The part of a KeyboardEvent the detector needs; `timeStamp` in milliseconds. */
export interface KeyInput {
  key: string;
  timeStamp: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export type KeyVerdict =
  /** Part of what looks like a scan so far: the host should keep it out of text fields. */
  | 'burst'
  /** A scan ended here: `onScan` was called; the host should swallow the terminator. */
  | 'scan'
  /** Ordinary typing. */
  | 'typing';

export class WedgeDetector {
  private buffer = '';
  /** The keys of the current burst kept out of the field (the burst's first key went through). */
  private held = '';
  /** Held keys of bursts that turned out to be typing, for the host to type after all. */
  private released = '';
  private lastAt = -Infinity;

  constructor(
    private readonly onScan: (text: string) => void,
    private readonly options: WedgeOptions = defaultWedgeOptions,
  ) {}

  key(input: KeyInput): KeyVerdict {
    const gap = input.timeStamp - this.lastAt;
    this.lastAt = input.timeStamp;
    const fast = gap <= this.options.maxGapMs;
    if (input.ctrlKey || input.altKey || input.metaKey) {
      this.endBurst();
      return 'typing';
    }
    if (this.options.terminators.includes(input.key)) {
      const text = this.buffer;
      if (fast && text.length >= this.options.minLength) {
        this.buffer = '';
        this.held = '';
        this.onScan(text);
        return 'scan';
      }
      this.endBurst();
      return 'typing';
    }
    if (input.key.length !== 1) {
      // Shift and other modifiers arrive as keys of their own between a scanner's characters.
      if (input.key === 'Shift') return this.buffer.length > 0 ? 'burst' : 'typing';
      this.endBurst();
      return 'typing';
    }
    if (!fast || this.buffer.length >= this.options.maxLength) this.endBurst();
    this.buffer += input.key;
    // A burst is only recognisable from its second fast key on.
    if (this.buffer.length < 2) return 'typing';
    this.held += input.key;
    return 'burst';
  }

  /** The keys held back by bursts that were typing after all, in order; taken once. */
  takeReleased(): string {
    const released = this.released;
    this.released = '';
    return released;
  }

  /** No key since `maxGapMs` before `now`: a burst under way was typing (its keys are released). */
  settle(now: number): void {
    if (this.held.length > 0 && now - this.lastAt > this.options.maxGapMs) this.endBurst();
  }

  reset(): void {
    this.buffer = '';
    this.held = '';
    this.released = '';
    this.lastAt = -Infinity;
  }

  private endBurst(): void {
    this.released += this.held;
    this.held = '';
    this.buffer = '';
  }
}
