// TerminalApi over Electron IPC, built from an ipcRenderer-like object so tests can drive it without Electron.
import { z } from 'zod';
import {
  channels,
  deviceStatusSchema,
  hostInfoSchema,
  scanEventSchema,
  type TerminalApi,
} from '../../src-shared/ipc/index.js';

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function subscribe<T>(
  ipc: IpcRendererLike,
  channel: string,
  schema: z.ZodType<T>,
  listener: (value: T) => void,
) {
  const handler = (_event: unknown, payload: unknown) => {
    const parsed = schema.safeParse(payload);
    if (parsed.success) listener(parsed.data);
  };
  ipc.on(channel, handler);
  return () => void ipc.removeListener(channel, handler);
}

export function createPreloadApi(ipc: IpcRendererLike): TerminalApi {
  return {
    hostInfo: async () => hostInfoSchema.parse(await ipc.invoke(channels.hostInfo)),
    onScan: (listener) => subscribe(ipc, channels.scan, scanEventSchema, listener),
    onDeviceStatus: (listener) => subscribe(ipc, channels.deviceStatus, deviceStatusSchema, listener),
    deviceStatuses: async () => z.array(deviceStatusSchema).parse(await ipc.invoke(channels.deviceStatuses)),
  };
}
