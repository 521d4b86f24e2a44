// Owns every serial device of a terminal, built from the validated `devices` config: one place for the
// host to subscribe to scans and health, and to shut the ports on exit.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { DeviceStatus, ScanEvent } from '../../src-shared/ipc/scan-events.js';
import type { DeviceConfig } from './config.js';
import { PortClaims } from './discovery.js';
import { emitIsolated } from './emit.js';
import { SerialDevice, type SerialDeviceOptions } from './serial-device.js';

export type DeviceManagerOptions = Omit<SerialDeviceOptions, 'claims'>;

export interface DeviceManagerEvents {
  scan: [ScanEvent];
  status: [DeviceStatus];
}

export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  private readonly devices: readonly SerialDevice[];
  private readonly log: Logger;

  /** `configs` must come from parseDeviceConfigs (validated, unique ids). Nothing opens before start(). */
  constructor(configs: readonly DeviceConfig[], options: DeviceManagerOptions) {
    super();
    this.log = options.logger;
    const claims = new PortClaims();
    this.devices = configs.map((config) => {
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

  device(id: string): SerialDevice | undefined {
    return this.devices.find((device) => device.id === id);
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
