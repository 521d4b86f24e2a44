// Owns every serial device of a terminal, built from the validated `devices` config: one place for the
// host to subscribe to scans and health, to print a slip, and to shut the ports on exit.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { DeviceStatus, ScanEvent } from '../../src-shared/ipc/scan-events.js';
import type { PrintSlipAnswer, Slip } from '../../src-shared/receipt/slip.js';
import type { AnyDeviceConfig } from './config.js';
import { PortClaims } from './discovery.js';
import { emitIsolated } from './emit.js';
import { ReceiptPrinter } from './receipt-printer.js';
import { SerialDevice, type SerialDeviceOptions } from './serial-device.js';

export type DeviceManagerOptions = Omit<SerialDeviceOptions, 'claims'>;

export interface DeviceManagerEvents {
  scan: [ScanEvent];
  status: [DeviceStatus];
}

export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  private readonly devices: readonly (SerialDevice | ReceiptPrinter)[];
  private readonly log: Logger;

  /** `configs` must come from parseDeviceConfigs (validated, unique ids). Nothing opens before start(). */
  constructor(configs: readonly AnyDeviceConfig[], options: DeviceManagerOptions) {
    super();
    this.log = options.logger;
    const claims = new PortClaims();
    this.devices = configs.map((config) => {
      if (config.role === 'printer') {
        const printer = new ReceiptPrinter(config, { ...options, claims });
        printer.onStatus((status) => this.forward('status', status));
        return printer;
      }
      const device = new SerialDevice(config, { ...options, claims });
      device.onScan((event) => this.forward('scan', event));
      device.onStatus((status) => this.forward('status', status));
      return device;
    });
  }

  /** Opens every device; each one retries on its own until close(). */
  start(): void {
    for (const device of this.devices) device.start();
  }

  onScan(listener: (event: ScanEvent) => void): () => void {
    this.on('scan', listener);
    return () => this.off('scan', listener);
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.on('status', listener);
    return () => this.off('status', listener);
  }

  statuses(): DeviceStatus[] {
    return this.devices.map((device) => device.status());
  }

  device(id: string): SerialDevice | ReceiptPrinter | undefined {
    return this.devices.find((device) => device.id === id);
  }

  /** The receipt printer (the first configured one), if any. */
  printer(): ReceiptPrinter | undefined {
    return this.devices.find((device): device is ReceiptPrinter => device instanceof ReceiptPrinter);
  }

  /** Prints on the receipt printer; 'no-printer' when none is configured. Never rejects. */
  async printSlip(slip: Slip): Promise<PrintSlipAnswer> {
    const printer = this.printer();
    if (printer === undefined) {
      return { printed: false, reason: 'no-printer', message: 'No receipt printer is configured.' };
    }
    return printer.print(slip);
  }

  async close(): Promise<void> {
    await Promise.all(this.devices.map((device) => device.close()));
  }

  /** A listener that throws must not reach the device nor starve the other listeners: logged by type. */
  private forward<K extends keyof DeviceManagerEvents>(name: K, arg: DeviceManagerEvents[K][0]): void {
    emitIsolated(this, name, arg, (error) =>
      this.log.error(
        { error: error instanceof Error ? error.name : typeof error, event: name },
        'listener threw',
      ),
    );
  }
}
