// Byte-level framing of a serial stream: scanners send a frame then a terminator (or go quiet), and the
// host must cut the stream back into frames without ever buffering unbounded input, and must not deliver
// half a frame (a swipe cut by an unplug is garbage, not a card number).
import { SUFFIX_BYTES, type Framing } from './config.js';
import { systemTimers, type TimerHandle, type Timers } from './timers.js';

export type FrameRejectReason = 'too-long' | 'cut-by-unplug' | 'no-terminator';

export type FramerOutput =
  | { kind: 'frame'; bytes: Buffer }
  /** `length`: bytes received for the frame before it was dropped (at least that many for 'too-long'). */
  | { kind: 'reject'; reason: FrameRejectReason; length: number };

export interface FramerOptions {
  framing: Framing;
  /** Longest frame in bytes, terminator excluded. */
  maxFrameLength: number;
  timers?: Timers;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Accumulates bytes into a fixed buffer and reports frames and rejections through `onOutput`.
 *
 * Suffix framing: a frame ends at the terminator. Tolerates the other half of CRLF: with CR, a LF right
 * after the CR is dropped; with LF, a CR right before the LF is dropped (a scanner set to CRLF still works).
 * An unterminated partial frame idle for `partialTimeoutMs` is rejected as 'no-terminator'.
 * Timeout framing: a frame ends when no byte arrived for `interByteTimeoutMs`.
 * A frame longer than `maxFrameLength` is rejected as 'too-long' as soon as it overflows; the framer then
 * discards bytes until the next terminator (or gap) and resynchronises there.
 */
export class ByteFramer {
  private readonly buffer: Buffer;
  private length = 0;
  /** Overflowed: dropping bytes until the next terminator or gap. */
  private discarding = false;
  private previous = -1;
  /** CR framing just ended a frame: one LF that follows is the scanner's CRLF, not data. */
  private skipLf = false;
  private timer: TimerHandle | null = null;
  private readonly timers: Timers;
  private readonly terminator: readonly number[];
  private readonly framing: Framing;
  private readonly maxFrameLength: number;

  constructor(
    options: FramerOptions,
    private readonly onOutput: (output: FramerOutput) => void,
  ) {
    this.framing = options.framing;
    this.maxFrameLength = options.maxFrameLength;
    this.timers = options.timers ?? systemTimers;
    this.terminator = options.framing.kind === 'suffix' ? SUFFIX_BYTES[options.framing.suffix] : [];
    this.buffer = Buffer.alloc(options.maxFrameLength + 2);
  }

  /** Feeds received bytes; outputs are reported synchronously. */
  push(chunk: Uint8Array): void {
    for (const byte of chunk) this.pushByte(byte);
    this.armTimer();
  }

  /** The port was unplugged: a partially received frame is reported as 'cut-by-unplug', never delivered. */
  cut(): void {
    this.disarmTimer();
    const length = this.length;
    const wasDiscarding = this.discarding;
    this.reset();
    if (length > 0 && !wasDiscarding) this.onOutput({ kind: 'reject', reason: 'cut-by-unplug', length });
  }

  /** Forgets any partial frame silently (the port was closed on purpose). */
  reset(): void {
    this.disarmTimer();
    this.buffer.fill(0, 0, this.length);
    this.length = 0;
    this.discarding = false;
    this.previous = -1;
    this.skipLf = false;
  }

  /** Bytes held for the frame in progress (0 when idle). */
  get pending(): number {
    return this.length;
  }

  private pushByte(byte: number): void {
    const skipLf = this.skipLf;
    this.skipLf = false;
    if (skipLf && byte === LF) return;

    if (this.framing.kind === 'timeout') {
      if (this.discarding) return;
      this.append(byte);
      return;
    }

    const previous = this.previous;
    this.previous = byte;
    const ends = this.endsTerminator(byte, previous);
    if (this.discarding) {
      if (ends) {
        this.discarding = false;
        this.previous = -1;
        if (this.framing.suffix === 'CR') this.skipLf = true;
      }
      return;
    }
    if (ends) {
      // The terminator's first byte (CR of CRLF) is in the buffer; the last one was never appended.
      let end = this.length - (this.terminator.length - 1);
      if (this.framing.suffix === 'LF' && end > 0 && this.buffer[end - 1] === CR) end -= 1;
      this.emitFrame(end);
      this.previous = -1;
      if (this.framing.suffix === 'CR') this.skipLf = true;
      return;
    }
    this.append(byte);
  }

  private endsTerminator(byte: number, previous: number): boolean {
    const t = this.terminator;
    if (t.length === 1) return byte === t[0];
    return byte === t[1] && previous === t[0];
  }

  private append(byte: number): void {
    // Room for the frame plus a terminator byte that may still be completed (the CR of CRLF).
    const limit = this.maxFrameLength + (this.terminator.length > 1 ? 1 : 0) + (this.isLf() ? 1 : 0);
    if (this.length >= limit) {
      const length = this.length + 1;
      this.buffer.fill(0, 0, this.length);
      this.length = 0;
      this.discarding = true;
      this.onOutput({ kind: 'reject', reason: 'too-long', length });
      return;
    }
    this.buffer[this.length] = byte;
    this.length += 1;
  }

  private isLf(): boolean {
    return this.framing.kind === 'suffix' && this.framing.suffix === 'LF';
  }

  private emitFrame(end: number): void {
    const bytes = Buffer.from(this.buffer.subarray(0, end));
    this.buffer.fill(0, 0, this.length);
    this.length = 0;
    if (bytes.length > this.maxFrameLength) {
      this.onOutput({ kind: 'reject', reason: 'too-long', length: bytes.length });
      return;
    }
    this.onOutput({ kind: 'frame', bytes });
  }

  private armTimer(): void {
    this.disarmTimer();
    if (this.length === 0 && !this.discarding) return;
    const ms =
      this.framing.kind === 'timeout' ? this.framing.interByteTimeoutMs : this.framing.partialTimeoutMs;
    this.timer = this.timers.setTimeout(() => this.onGap(), ms);
  }

  private disarmTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The line went quiet: end of frame (timeout framing) or an unterminated partial (suffix framing). */
  private onGap(): void {
    this.timer = null;
    if (this.discarding) {
      this.discarding = false;
      this.previous = -1;
      return;
    }
    if (this.length === 0) return;
    if (this.framing.kind === 'timeout') {
      this.emitFrame(this.length);
      return;
    }
    const length = this.length;
    this.reset();
    this.onOutput({ kind: 'reject', reason: 'no-terminator', length });
  }
}
