// One serial scanner or card reader: finds and opens its port, cuts the byte stream into frames, classifies
// each frame (src-shared/scan) and emits ScanEvents; survives unplugs by reconnecting with capped backoff.
// Input is hostile by assumption (noise, wrong baud, a payment card swiped by mistake): nothing it sends
// may throw out of a handler, and no frame content is ever logged or kept in an error.
import { EventEmitter } from 'node:events';
import type { SerialPortStream } from '@serialport/stream';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import type { DeviceStatus, ScanEvent } from '../../src-shared/ipc/scan-events.js';
import { defaultCardPatterns } from '../../src-shared/program/schema.js';
import {
  classifyFrame,
  redactForLog,
  REJECTION_MESSAGES,
  type CardPattern,
  type ScanResult,
  type ScanResultOf,
} from '../../src-shared/scan/index.js';
import { createPort, type SerialBinding } from './binding.js';
import type { DeviceConfig } from './config.js';
import { findUsbPort, PortClaims } from './discovery.js';
import { emitIsolated } from './emit.js';
import { ByteFramer, type FrameRejectReason, type FramerOutput } from './framer.js';
import {
  backoffDelay,
  defaultBackoff,
  systemTimers,
  type Backoff,
  type TimerHandle,
  type Timers,
} from './timers.js';

export interface SerialDeviceOptions {
  binding: SerialBinding;
  logger: Logger;
  clock?: Clock;
  /** For framing gaps and reconnect delays. */
  timers?: Timers;
  backoff?: Backoff;
  /**
   * The program's loyalty card patterns, read at each frame (the program can change while running).
   * Default: the program format's defaults (EAN-13 starting 04).
   */
  cardPatterns?: () => readonly CardPattern[];
  /** Shared between the devices of one manager, so USB discovery never hands a port to two devices. */
  claims?: PortClaims;
  /**
   * Garbage is counted always, but emitted as a 'rejected' ScanEvent at most once per this interval per
   * device, so a noisy line cannot flood the UI (default 250 ms, by the clock).
   */
  rejectEventIntervalMs?: number;
}

export interface SerialDeviceEvents {
  scan: [ScanEvent];
  status: [DeviceStatus];
}

/** How a framing failure reads as a classifier rejection (same shape, so the UI handles one kind). */
function framingRejection(reason: FrameRejectReason, length: number): ScanResultOf<'rejected'> {
  switch (reason) {
    case 'too-long':
      return {
        kind: 'rejected',
        reason: 'too-long',
        message: REJECTION_MESSAGES['too-long'],
        detail: `over the frame limit (${length} bytes)`,
      };
    case 'cut-by-unplug':
      return {
        kind: 'rejected',
        reason: 'garbage',
        message: 'The scanner was unplugged during a scan. Plug it back in and scan again.',
        detail: `cut by unplug after ${length} bytes`,
      };
    case 'no-terminator':
      return {
        kind: 'rejected',
        reason: 'garbage',
        message: "The scan did not end as expected (check the scanner's suffix setting). Please scan again.",
        detail: `no terminator after ${length} bytes`,
      };
  }
}

/** Words for an error that are safe to keep: the message of an I/O error names a port, never data. */
const describe = (error: unknown): string =>
  error instanceof Error ? error.message.slice(0, 200) : 'unknown error';

/** An open failure that means "the device is not there" rather than "it is there but unusable". */
const isAbsent = (error: unknown): boolean =>
  error instanceof Error && /ENOENT|no such file|not found|does not exist|ENODEV|ENXIO/i.test(error.message);

export class SerialDevice extends EventEmitter<SerialDeviceEvents> {
  readonly id: string;
  readonly config: DeviceConfig;
  private readonly binding: SerialBinding;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private readonly cardPatterns: () => readonly CardPattern[];
  private readonly claims: PortClaims;
  private readonly rejectEventIntervalMs: number;
  private readonly framer: ByteFramer;

  private port: SerialPortStream | null = null;
  private retryTimer: TimerHandle | null = null;
  private attempt = 0;
  private started = false;
  private closed = false;
  private statusQueued = false;
  private lastRejectEventAt = Number.NEGATIVE_INFINITY;
  private heldBack = 0;
  private current: DeviceStatus;

  constructor(config: DeviceConfig, options: SerialDeviceOptions) {
    super();
    this.id = config.id;
    this.config = config;
    this.binding = options.binding;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.backoff = options.backoff ?? defaultBackoff;
    this.cardPatterns = options.cardPatterns ?? defaultCardPatterns;
    this.claims = options.claims ?? new PortClaims();
    this.rejectEventIntervalMs = options.rejectEventIntervalMs ?? 250;
    this.log = options.logger.child({ device: config.id, role: config.role });
    this.framer = new ByteFramer(
      { framing: config.framing, maxFrameLength: config.maxFrameLength, timers: this.timers },
      (output) => this.guard('frame', () => this.onFramerOutput(output)),
    );
    this.current = {
      deviceId: config.id,
      role: config.role,
      path: config.path ?? null,
      state: 'disconnected',
      lastFrameAt: null,
      frames: 0,
      rejected: 0,
      errors: 0,
      lastError: null,
    };
  }

  /** Starts connecting; later failures are retried with backoff until close(). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect();
  }

  status(): DeviceStatus {
    return { ...this.current };
  }

  onScan(listener: (event: ScanEvent) => void): () => void {
    this.on('scan', listener);
    return () => this.off('scan', listener);
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.on('status', listener);
    return () => this.off('status', listener);
  }

  /** Stops retrying and closes the port; a partial frame is dropped silently. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearRetry();
    this.framer.reset();
    const port = this.port;
    this.port = null;
    this.claims.release(this.id);
    if (port !== null) {
      port.removeAllListeners('data');
      if (port.isOpen) {
        await new Promise<void>((resolve) => port.close(() => resolve()));
      }
      port.removeAllListeners();
      // Swallow anything the closing port still reports.
      port.on('error', () => undefined);
    }
    this.update({ state: 'disconnected' });
    this.log.info('closed');
  }

  private connect(): void {
    if (this.closed) return;
    this.update({ state: 'connecting' });
    void this.resolvePath().then(
      (path) => {
        if (this.closed) return;
        if (path === null) {
          this.fail('absent', 'no matching USB device found');
          return;
        }
        this.open(path);
      },
      (error: unknown) => this.fail('error', `listing ports failed: ${describe(error)}`),
    );
  }

  private async resolvePath(): Promise<string | null> {
    if (this.config.path !== undefined) return this.config.path;
    return findUsbPort(this.binding, this.config, this.claims);
  }

  private open(path: string): void {
    let port: SerialPortStream;
    try {
      port = createPort(this.binding, path, this.config);
    } catch (error) {
      this.fail('error', `cannot open ${path}: ${describe(error)}`);
      return;
    }
    this.port = port;
    this.claims.claim(path, this.id);
    this.update({ path });
    port.on('data', (chunk: Buffer) => this.guard('data', () => this.framer.push(chunk)));
    port.on('close', (error: unknown) => this.guard('close', () => this.onClose(port, error)));
    port.on('error', (error: unknown) => this.guard('error', () => this.onPortError(port, error)));
    port.open((error) => {
      this.guard('open', () => {
        if (this.port !== port) {
          // close() ran while the port was opening: let go of it now.
          if (!error) port.close(() => undefined);
          return;
        }
        if (error) {
          this.port = null;
          this.claims.release(this.id);
          port.removeAllListeners();
          port.on('error', () => undefined);
          this.fail(isAbsent(error) ? 'absent' : 'error', `cannot open ${path}: ${describe(error)}`);
          return;
        }
        this.attempt = 0;
        this.log.info({ path, baudRate: this.config.baudRate }, 'connected');
        this.update({ state: 'connected' });
      });
    });
  }

  private onClose(port: SerialPortStream, error: unknown): void {
    if (this.port !== port) return;
    this.port = null;
    this.claims.release(this.id);
    port.removeAllListeners();
    port.on('error', () => undefined);
    this.framer.cut();
    if (this.closed) return;
    const unplugged = error instanceof Error && (error as { disconnected?: unknown }).disconnected === true;
    const reason = unplugged ? `unplugged: ${describe(error)}` : 'port closed';
    this.log.warn({ reason }, 'disconnected');
    this.update({ state: 'disconnected', lastError: reason });
    this.scheduleRetry();
  }

  private onPortError(port: SerialPortStream, error: unknown): void {
    if (this.port !== port) return;
    const message = describe(error);
    this.log.error({ error: message }, 'port error');
    this.update({ errors: this.current.errors + 1, lastError: message });
  }

  /** absent: the device is not there (disconnected); error: it is there but cannot be used (counted). */
  private fail(kind: 'absent' | 'error', message: string): void {
    if (this.closed) return;
    if (kind === 'error') {
      this.log.error({ error: message }, 'cannot connect');
      this.update({ state: 'error', errors: this.current.errors + 1, lastError: message });
    } else {
      this.log.debug({ reason: message }, 'not present');
      this.update({ state: 'disconnected', lastError: message });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.clearRetry();
    const delay = backoffDelay(this.backoff, this.attempt);
    this.attempt += 1;
    this.log.debug({ delayMs: delay, attempt: this.attempt }, 'reconnect scheduled');
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.guard('retry', () => this.connect());
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private onFramerOutput(output: FramerOutput): void {
    const at = this.clock.now();
    if (output.kind === 'reject') {
      this.reject(at, framingRejection(output.reason, output.length), () => `${output.length} bytes`);
      return;
    }
    const frame = this.strip(output.bytes.toString('latin1'));
    output.bytes.fill(0);
    if (frame.length === 0) return; // an empty line (e.g. a stray terminator) is not a scan
    let result: ScanResult;
    try {
      result = classifyFrame(frame, {
        cardPatterns: this.cardPatterns(),
        referenceYear: new Date(at).getUTCFullYear(),
        source: 'serial',
      });
    } catch (error) {
      // The classifier's own error text might quote the frame: keep only the error's type.
      const type = error instanceof Error ? error.name : typeof error;
      this.log.error({ error: type, frame: redactForLog(frame) }, 'classifier failed');
      this.count(at, true);
      this.update({ errors: this.current.errors + 1, lastError: `classifier failed (${type})` });
      return;
    }
    // redactForLog describes a frame without its content (length and kind, never a digit of a card).
    if (result.kind === 'rejected') {
      this.reject(at, result, () => redactForLog(frame));
      return;
    }
    this.count(at, false);
    if (result.kind === 'refused') this.log.warn({ frame: redactForLog(frame) }, 'payment card refused');
    else if (this.log.isLevelEnabled('debug')) this.log.debug({ frame: redactForLog(frame) }, 'scan');
    this.emitScan(at, result);
  }

  /**
   * Garbage is always counted; it is emitted (and logged at warn) at most once per interval, with how many
   * were held back since, so a noisy line floods neither the UI nor the log.
   */
  private reject(at: number, result: ScanResultOf<'rejected'>, describeFrame: () => string): void {
    this.count(at, true);
    const fields = { reason: result.reason, detail: result.detail };
    if (at - this.lastRejectEventAt < this.rejectEventIntervalMs) {
      this.heldBack += 1;
      if (this.log.isLevelEnabled('debug'))
        this.log.debug({ ...fields, frame: describeFrame() }, 'frame rejected');
      return;
    }
    this.lastRejectEventAt = at;
    this.log.warn({ ...fields, frame: describeFrame(), heldBackSinceLast: this.heldBack }, 'frame rejected');
    this.heldBack = 0;
    this.emitScan(at, result);
  }

  private strip(frame: string): string {
    let text = frame;
    const { stripPrefix, stripSuffix } = this.config;
    if (stripPrefix !== '' && text.startsWith(stripPrefix)) text = text.slice(stripPrefix.length);
    if (stripSuffix !== '' && text.endsWith(stripSuffix))
      text = text.slice(0, text.length - stripSuffix.length);
    return text;
  }

  private count(at: number, rejected: boolean): void {
    this.update({
      frames: this.current.frames + 1,
      rejected: this.current.rejected + (rejected ? 1 : 0),
      lastFrameAt: new Date(at).toISOString(),
    });
  }

  private emitScan(at: number, result: ScanResult): void {
    const event: ScanEvent = {
      deviceId: this.id,
      role: this.config.role,
      at: new Date(at).toISOString(),
      result,
    };
    this.safeEmit('scan', event);
  }

  /** Applies a status change; listeners hear about it once per turn, however many frames arrived. */
  private update(change: Partial<DeviceStatus>): void {
    this.current = { ...this.current, ...change };
    if (this.statusQueued) return;
    this.statusQueued = true;
    queueMicrotask(() => {
      this.statusQueued = false;
      this.safeEmit('status', this.status());
    });
  }

  /** A listener that throws must not break framing nor starve the other listeners: logged by type. */
  private safeEmit<K extends keyof SerialDeviceEvents>(name: K, arg: SerialDeviceEvents[K][0]): void {
    emitIsolated(this, name, arg, (error) =>
      this.log.error(
        { error: error instanceof Error ? error.name : typeof error, event: name },
        'listener threw',
      ),
    );
  }

  /** Runs an I/O callback; whatever goes wrong is counted and logged (by type), never thrown. */
  private guard(where: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      const type = error instanceof Error ? error.name : typeof error;
      this.log.error({ error: type, where }, 'device handler failed');
      try {
        this.current = {
          ...this.current,
          errors: this.current.errors + 1,
          lastError: `internal error (${type})`,
        };
      } catch {
        // nothing left to do
      }
    }
  }
}
