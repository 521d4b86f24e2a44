// TerminalApi: the one contract between the renderer and whichever host runs it (Electron main through
// the preload, or the browser host over a WebSocket). The renderer only ever sees `window.terminal`.
import { z } from 'zod';

export const hostInfoSchema = z
  .object({
    host: z.enum(['electron', 'browser']),
    version: z.string(),
  })
  .strict();
export type HostInfo = z.infer<typeof hostInfoSchema>;

export interface TerminalApi {
  /** Which host serves this renderer, and the app version. */
  hostInfo(): Promise<HostInfo>;
}

/** IPC channel names, one per TerminalApi method. */
export const channels = { hostInfo: 'terminal:host-info' } as const;
