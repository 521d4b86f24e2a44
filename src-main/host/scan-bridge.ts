// Forwards the device manager's scans and health to a host transport (Electron webContents.send, or the
// browser host's WebSocket), validating each message against the IPC schema on the way out.
import {
  channels,
  deviceStatusSchema,
  scanEventSchema,
  type DeviceStatus,
  type ScanEvent,
} from '../../src-shared/ipc/index.js';

/** What the bridge needs of a DeviceManager. */
export interface ScanSource {
  onScan(listener: (event: ScanEvent) => void): () => void;
  onStatus(listener: (status: DeviceStatus) => void): () => void;
}

export type Send = (channel: string, payload: unknown) => void;

/** Starts forwarding; returns the function that stops it. */
export function bridgeScans(source: ScanSource, send: Send): () => void {
  const offScan = source.onScan((event) => {
    const parsed = scanEventSchema.safeParse(event);
    if (parsed.success) send(channels.scan, parsed.data);
  });
  const offStatus = source.onStatus((status) => {
    const parsed = deviceStatusSchema.safeParse(status);
    if (parsed.success) send(channels.deviceStatus, parsed.data);
  });
  return () => {
    offScan();
    offStatus();
  };
}
