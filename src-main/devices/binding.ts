// The serialport binding is injected: the real one talks to the OS (bindings-cpp), tests pass serialport's
// MockBinding. Ports are built with SerialPortStream so the same code runs over either.
// @serialport/bindings-interface publishes no types for ESM resolution, so the two things this module
// needs from a binding are declared here, structurally.
import { autoDetect } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import type { DeviceConfig } from './config.js';

/** A port as `SerialPort.list()` describes it; only `path` is guaranteed. */
export interface PortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
  /** Lower-case hex without 0x, e.g. `0c2e`. */
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface BindingOpenOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: string;
  lock?: boolean;
}

/** Lists and opens ports: `autoDetect()` from bindings-cpp in production, `MockBinding` in tests. */
export interface SerialBinding {
  list(): Promise<PortInfo[]>;
  open(options: BindingOpenOptions): Promise<unknown>;
}

/** The platform's binding (Linux, macOS or Windows). */
export function systemBinding(): SerialBinding {
  // bindings-cpp's declarations import their siblings without extensions, which NodeNext cannot follow:
  // the linter sees an unresolved type there. The binding is what SerialBinding declares (list and open).
  return autoDetect() as SerialBinding;
}

/** A closed SerialPortStream for `path` with the device's line settings; the caller opens it. */
export function createPort(
  binding: SerialBinding,
  path: string,
  config: Pick<DeviceConfig, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>,
): SerialPortStream {
  return new SerialPortStream({
    binding,
    path,
    baudRate: config.baudRate,
    dataBits: config.dataBits,
    parity: config.parity,
    stopBits: config.stopBits,
    autoOpen: false,
    // Exclusive: a second process reading the same scanner would steal its frames (or a printer's answers).
    lock: true,
  });
}
