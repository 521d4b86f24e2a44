// TerminalApi over Electron IPC, built from an ipcRenderer-like object so tests can drive it without Electron.
// Requests are invoked on their channel; pushed messages (scans, device health, HQ's stream) arrive with
// `on`. Every answer and every pushed message is validated here, in the renderer's process: an answer
// that does not fit the contract rejects, a pushed message that does not fit is dropped.
import { z } from 'zod';
import {
  channels,
  deviceStatusSchema,
  hostInfoSchema,
  hqCloseResultSchema,
  hqEnrollResultSchema,
  hqLinkStatusSchema,
  hqLookupResultSchema,
  hqPullResultSchema,
  hqPushResultSchema,
  hqStreamMessageSchema,
  replicationKeySchema,
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

/** Invokes a channel and validates the answer (rejects, naming the channel, when it does not fit). */
async function request<T>(
  ipc: IpcRendererLike,
  schema: z.ZodType<T>,
  channel: string,
  ...args: unknown[]
): Promise<T> {
  const parsed = schema.safeParse(await ipc.invoke(channel, ...args));
  if (!parsed.success) throw new Error(`The host's answer on ${channel} does not fit TerminalApi.`);
  return parsed.data;
}

export function createPreloadApi(ipc: IpcRendererLike): TerminalApi {
  return {
    hostInfo: async () => hostInfoSchema.parse(await ipc.invoke(channels.hostInfo)),
    onScan: (listener) => subscribe(ipc, channels.scan, scanEventSchema, listener),
    onDeviceStatus: (listener) => subscribe(ipc, channels.deviceStatus, deviceStatusSchema, listener),
    deviceStatuses: async () => z.array(deviceStatusSchema).parse(await ipc.invoke(channels.deviceStatuses)),

    hqStatus: () => request(ipc, hqLinkStatusSchema, channels.hqStatus),
    enroll: (input) => request(ipc, hqEnrollResultSchema, channels.hqEnroll, input),
    replicationKey: () => request(ipc, replicationKeySchema, channels.hqReplicationKey),
    pull: (collection, checkpoint, limit) =>
      request(ipc, hqPullResultSchema, channels.hqPull, collection, checkpoint, limit),
    push: (events) => request(ipc, hqPushResultSchema, channels.hqPush, events),
    close: (figures) => request(ipc, hqCloseResultSchema, channels.hqClose, figures),
    lookup: (query) => request(ipc, hqLookupResultSchema, channels.hqLookup, query),
    onHqStream: (listener) => subscribe(ipc, channels.hqStream, hqStreamMessageSchema, listener),
  };
}
