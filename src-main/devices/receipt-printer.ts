// The receipt printer: an ESC/POS printer on a serial port, configured beside the scanners. It opens and
// reconnects like a scanner (capped backoff), asks the printer's real-time status (DLE EOT) while idle and
// before each slip, and reports it as a DeviceStatus, so paper-out shows in the status bar before a sale.
// Printing answers "printed" or why not; it never throws, and nothing waits on paper.
import { EventEmitter } from 'node:events';
import type { SerialPortStream } from '@serialport/stream';
import type { Logger } from 'pino';
import type { DeviceStatus } from '../../src-shared/ipc/scan-events.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import type { PrintSlipAnswer, Slip } from '../../src-shared/receipt/slip.js';
import { createPort, type SerialBinding } from './binding.js';
import type { PrinterConfig } from './config.js';
import { findUsbPort, PortClaims } from './discovery.js';
import { emitIsolated } from './emit.js';
import {
  encodeSlip,
  isStatusByte,
  readCondition,
  statusQuery,
  type PrinterCondition,
  type StatusRequest,
} from './escpos.js';
import {
  backoffDelay,
  defaultBackoff,
  systemTimers,
  type Backoff,
  type TimerHandle,
  type Timers,
} from './timers.js';

export interface ReceiptPrinterOptions {
  binding: SerialBinding;
  logger: Logger;
  clock?: Clock;
  timers?: Timers;
  backoff?: Backoff;
  claims?: PortClaims;
}

export interface ReceiptPrinterEvents {
  status: [DeviceStatus];
}

/** What a printer condition means for the status bar and the cashier. */
const CONDITION_WORDS: Record<Exclude<PrinterCondition['kind'], 'ok'>, string> = {
  'paper-out': 'Out of paper: load a new roll.',
  'cover-open': 'The printer cover is open.',
  offline: 'The printer is offline (check its lights and buttons).',
  'not-answering': 'The printer does not answer (switched off, or the wrong baud rate?).',
};

const describe = (error: unknown): string =>
  error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
const isAbsent = (error: unknown): boolean =>
  error instanceof Error && /ENOENT|no such file|not found|does not exist|ENODEV|ENXIO/i.test(error.message);

export class ReceiptPrinter extends EventEmitter<ReceiptPrinterEvents> {
  readonly id: string;
  readonly config: PrinterConfig;
  private readonly binding: SerialBinding;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private readonly claims: PortClaims;

  private port: SerialPortStream | null = null;
  private retryTimer: TimerHandle | null = null;
  private pollTimer: TimerHandle | null = null;
  private attempt = 0;
  private started = false;
  private closed = false;
  private statusQueued = false;
  private current: DeviceStatus;
  /** One exchange with the printer at a time (a status query, or a slip): their bytes must not interleave. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The pending status query's resolver: the next status byte answers it. */
  private waiting: ((byte: number) => void) | null = null;

  constructor(config: PrinterConfig, options: ReceiptPrinterOptions) {
    super();
    this.id = config.id;
    this.config = config;
    this.binding = options.binding;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.backoff = options.backoff ?? defaultBackoff;
    this.claims = options.claims ?? new PortClaims();
    this.log = options.logger.child({ device: config.id, role: 'printer' });
    this.current = {
      deviceId: config.id,
      role: 'printer',
      path: config.path ?? null,
      state: 'disconnected',
      lastFrameAt: null,
      frames: 0,
      rejected: 0,
      errors: 0,
      lastError: null,
    };
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect();
  }

  status(): DeviceStatus {
    return { ...this.current };
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.on('status', listener);
    return () => this.off('status', listener);
  }

  /** Asks the printer's status now and shows it; resolves with what it said. */
  checkStatus(): Promise<PrinterCondition | null> {
    return this.exclusive(() => this.refreshCondition());
  }

  /** Prints the slip unless the printer is absent or says it cannot; never rejects. */
  print(slip: Slip): Promise<PrintSlipAnswer> {
    return this.exclusive(async (): Promise<PrintSlipAnswer> => {
      const port = this.port;
      if (port === null || !port.isOpen) {
        return notPrinted(
          'disconnected',
          'The receipt printer is not connected: the slip is on screen only.',
        );
      }
      if (this.config.statusQuery) {
        const condition = await this.refreshCondition();
        if (condition !== null && condition.kind !== 'ok') {
          return notPrinted(condition.kind, `Not printed. ${CONDITION_WORDS[condition.kind]}`);
        }
      }
      try {
        await write(port, encodeSlip(slip, this.config.columns));
      } catch (error) {
        const message = describe(error);
        this.log.error({ error: message }, 'printing failed');
        this.update({ errors: this.current.errors + 1, lastError: `printing failed: ${message}` });
        return notPrinted('failed', 'The slip could not be sent to the printer.');
      }
      this.log.info({ slip: slip.kind }, 'slip printed');
      this.update({ frames: this.current.frames + 1, lastFrameAt: new Date(this.clock.now()).toISOString() });
      return { printed: true, deviceId: this.id };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer('retry');
    this.clearTimer('poll');
    this.waiting = null;
    const port = this.port;
    this.port = null;
    this.claims.release(this.id);
    if (port !== null) {
      port.removeAllListeners('data');
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      port.removeAllListeners();
      port.on('error', () => undefined);
    }
    this.update({ state: 'disconnected' });
    this.log.info('closed');
  }

  // ---- the exchange with the printer ------------------------------------------------------------------

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Asks the status (when configured to) and shows it; null when not asked or the port is gone. */
  private async refreshCondition(): Promise<PrinterCondition | null> {
    const port = this.port;
    if (port === null || !port.isOpen || !this.config.statusQuery) return null;
    let condition: PrinterCondition;
    try {
      condition = await readCondition((n) => this.ask(port, n));
    } catch (error) {
      this.update({ errors: this.current.errors + 1, lastError: `status query failed: ${describe(error)}` });
      return null;
    }
    if (this.port !== port) return null;
    this.show(condition);
    return condition;
  }

  private show(condition: PrinterCondition): void {
    if (condition.kind === 'ok') {
      this.update({ state: 'connected', lastError: condition.paperLow ? 'Paper is running low.' : null });
      return;
    }
    const words = CONDITION_WORDS[condition.kind];
    if (this.current.state !== 'error' || this.current.lastError !== words) {
      this.log.warn({ condition: condition.kind }, 'printer not ready');
      this.update({ state: 'error', errors: this.current.errors + 1, lastError: words });
    }
  }

  /** Sends DLE EOT n and waits for the answer byte, at most statusTimeoutMs. */
  private ask(port: SerialPortStream, n: StatusRequest): Promise<number | null> {
    return new Promise<number | null>((resolve, reject) => {
      let timer: TimerHandle | null = null;
      const settle = (byte: number | null): void => {
        if (timer !== null) this.timers.clearTimeout(timer);
        timer = null;
        if (this.waiting === answer) this.waiting = null;
        resolve(byte);
      };
      const answer = (byte: number): void => settle(byte);
      this.waiting = answer;
      timer = this.timers.setTimeout(() => settle(null), this.config.statusTimeoutMs);
      write(port, statusQuery(n)).catch((error: unknown) => {
        if (timer !== null) this.timers.clearTimeout(timer);
        if (this.waiting === answer) this.waiting = null;
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  private onData(chunk: Buffer): void {
    // Only status answers are expected; anything else (noise, XON/XOFF) is ignored.
    for (const byte of chunk) {
      if (!isStatusByte(byte)) continue;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.(byte);
    }
  }

  // ---- connecting ----------------------------------------------------------------------------------------

  private connect(): void {
    if (this.closed) return;
    this.update({ state: 'connecting' });
    const resolve = async (): Promise<string | null> =>
      this.config.path ?? findUsbPort(this.binding, this.config, this.claims);
    void resolve().then(
      (path) => {
        if (this.closed) return;
        if (path === null) this.fail('absent', 'no matching USB device found');
        else this.open(path);
      },
      (error: unknown) => this.fail('error', `listing ports failed: ${describe(error)}`),
    );
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
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('close', () => this.onClose(port));
    port.on('error', (error: unknown) => {
      if (this.port !== port) return;
      this.log.error({ error: describe(error) }, 'port error');
      this.update({ errors: this.current.errors + 1, lastError: describe(error) });
    });
    port.open((error) => {
      if (this.port !== port) {
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
      this.update({ state: 'connected', lastError: null });
      if (this.config.statusQuery) void this.checkStatus().then(() => this.schedulePoll());
    });
  }

  private onClose(port: SerialPortStream): void {
    if (this.port !== port) return;
    this.port = null;
    this.waiting = null;
    this.clearTimer('poll');
    this.claims.release(this.id);
    port.removeAllListeners();
    port.on('error', () => undefined);
    if (this.closed) return;
    this.log.warn('disconnected');
    this.update({ state: 'disconnected', lastError: 'port closed (unplugged?)' });
    this.scheduleRetry();
  }

  private fail(kind: 'absent' | 'error', message: string): void {
    if (this.closed) return;
    if (kind === 'error') {
      this.log.error({ error: message }, 'cannot connect');
      this.update({ state: 'error', errors: this.current.errors + 1, lastError: message });
    } else {
      this.update({ state: 'disconnected', lastError: message });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.clearTimer('retry');
    const delay = backoffDelay(this.backoff, this.attempt);
    this.attempt += 1;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** The idle status poll: paper-out shows before the next sale, not at it. */
  private schedulePoll(): void {
    if (this.closed || this.port === null) return;
    this.clearTimer('poll');
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = null;
      void this.checkStatus().then(() => this.schedulePoll());
    }, this.config.statusIntervalMs);
  }

  private clearTimer(which: 'retry' | 'poll'): void {
    const timer = which === 'retry' ? this.retryTimer : this.pollTimer;
    if (timer !== null) this.timers.clearTimeout(timer);
    if (which === 'retry') this.retryTimer = null;
    else this.pollTimer = null;
  }

  /** Applies a status change; listeners hear about it once per turn. */
  private update(change: Partial<DeviceStatus>): void {
    this.current = { ...this.current, ...change };
    if (this.statusQueued) return;
    this.statusQueued = true;
    queueMicrotask(() => {
      this.statusQueued = false;
      emitIsolated(this, 'status', this.status(), (error) =>
        this.log.error({ error: error instanceof Error ? error.name : typeof error }, 'listener threw'),
      );
    });
  }
}

const notPrinted = (
  reason: Exclude<PrintSlipAnswer, { printed: true }>['reason'],
  message: string,
): PrintSlipAnswer => ({ printed: false, reason, message });

/** Writes and waits until the bytes have left for the port. */
function write(port: SerialPortStream, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(Buffer.from(bytes), (error: Error | null | undefined) => {
      if (error) reject(error);
      else port.drain((e: Error | null | undefined) => (e ? reject(e) : resolve()));
    });
  });
}
