// TerminalApi: the one contract between the renderer and whichever host runs it (Electron main through
// the preload, or the browser host over a WebSocket). The renderer only ever sees `window.terminal`;
// credentials, serial ports and HQ traffic stay on the host side.
import { z } from 'zod';
import { hqChannels, type HqApi } from './hq-api.js';
import { scanChannels, type ScanApi } from './scan-events.js';

export const hostInfoSchema = z
  .object({
    host: z.enum(['electron', 'browser']),
    version: z.string(),
  })
  .strict();
export type HostInfo = z.infer<typeof hostInfoSchema>;

export interface TerminalApi extends ScanApi, HqApi {
  /** Which host serves this renderer, and the app version. */
  hostInfo(): Promise<HostInfo>;
}

/** IPC channel names, one per TerminalApi method or pushed event (the HQ ones also as `hqChannels`). */
export const channels = {
  hostInfo: 'terminal:host-info',
  ...scanChannels,
  hqStatus: hqChannels.status,
  hqEnroll: hqChannels.enroll,
  hqReplicationKey: hqChannels.replicationKey,
  hqPull: hqChannels.pull,
  hqPush: hqChannels.push,
  hqClose: hqChannels.close,
  hqLookup: hqChannels.lookup,
  hqStream: hqChannels.stream,
} as const;
