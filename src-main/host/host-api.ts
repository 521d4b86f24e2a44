// TerminalApi in-process, over the host's services: the terminal's HQ link and (optionally) its serial
// devices. Every transport to the renderer uses it: Electron's ipcMain handlers (src-main/index.ts), the
// browser host's WebSocket, and Node tests of the renderer's database. The renderer is not trusted: every
// argument is checked with the contract's zod schemas (a bad one is a 'rejected' result and no request
// leaves), and every answer is checked on the way out, so only plain JSON-safe values cross.
import { z } from 'zod';
import {
  channels,
  deviceStatusSchema,
  hostInfoSchema,
  hqCloseFiguresSchema,
  hqCloseResultSchema,
  hqEnrollInputSchema,
  hqEnrollResultSchema,
  hqLinkStatusSchema,
  hqLookupQuerySchema,
  hqLookupResultSchema,
  hqPullArgsSchema,
  hqPullResultSchema,
  hqPushEventsSchema,
  hqPushResultSchema,
  hqStreamMessageSchema,
  replicationKeySchema,
  scanEventSchema,
  type DeviceStatus,
  type HostInfo,
  type HqApi,
  type HqError,
  type HqResult,
  type ScanEvent,
  type TerminalApi,
} from '../../src-shared/ipc/index.js';
import { problemsOf } from '../../src-shared/kernel/problems.js';
import { err } from '../../src-shared/kernel/result.js';
import { APP_ORIGIN } from '../security.js';

/** What the host API needs of the device manager. */
export interface HostDevices {
  onScan(listener: (event: ScanEvent) => void): () => void;
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  statuses(): DeviceStatus[] | Promise<DeviceStatus[]>;
}

export interface HostApiOptions {
  /** The HQ side: a TerminalLink (or a fake in tests). */
  link: HqApi;
  /** Serial scanners and card readers; none when absent. */
  devices?: HostDevices;
  hostInfo: HostInfo | (() => HostInfo | Promise<HostInfo>);
}

/** Problems listed when the renderer sends something invalid, at most. */
const MAX_PROBLEMS = 200;

function rejected(error: z.ZodError, what: string, prefix = ''): { ok: false; error: HqError } {
  const problems = problemsOf(error, prefix);
  return err({
    code: 'rejected',
    message: `${what} is not valid: ${problems.length} problem${problems.length === 1 ? '' : 's'}.`,
    problems: problems.slice(0, MAX_PROBLEMS),
  });
}

/** Runs a link call, and checks its answer against the contract (a plain value, or a server-error). */
async function answer<T>(schema: z.ZodType<HqResult<T>>, call: () => Promise<unknown>): Promise<HqResult<T>> {
  let result: unknown;
  try {
    result = await call();
  } catch {
    return err({ code: 'server-error', message: 'The terminal host failed while talking to HQ.' });
  }
  const parsed = schema.safeParse(result);
  if (parsed.success) return parsed.data;
  return err({
    code: 'server-error',
    message: 'The terminal host gave an answer that does not fit TerminalApi.',
  });
}

const pullArgNames = ['collection', 'checkpoint', 'limit'];

export function createHostApi(options: HostApiOptions): TerminalApi {
  const { link, devices } = options;
  return {
    async hostInfo() {
      const info = typeof options.hostInfo === 'function' ? await options.hostInfo() : options.hostInfo;
      return hostInfoSchema.parse(info);
    },

    onScan(listener) {
      if (!devices) return () => undefined;
      return devices.onScan((event) => {
        const parsed = scanEventSchema.safeParse(event);
        if (parsed.success) listener(parsed.data);
      });
    },
    onDeviceStatus(listener) {
      if (!devices) return () => undefined;
      return devices.onStatus((status) => {
        const parsed = deviceStatusSchema.safeParse(status);
        if (parsed.success) listener(parsed.data);
      });
    },
    async deviceStatuses() {
      return z.array(deviceStatusSchema).parse(devices ? await devices.statuses() : []);
    },

    async hqStatus() {
      return hqLinkStatusSchema.parse(await link.hqStatus());
    },
    async enroll(input: unknown) {
      const parsed = hqEnrollInputSchema.safeParse(input);
      if (!parsed.success) return rejected(parsed.error, 'The enrollment');
      return answer(hqEnrollResultSchema, () => link.enroll(parsed.data));
    },
    async replicationKey() {
      return replicationKeySchema.parse(await link.replicationKey());
    },
    async pull(collection: unknown, checkpoint: unknown, limit: unknown) {
      const parsed = hqPullArgsSchema.safeParse([collection, checkpoint, limit]);
      if (!parsed.success) {
        const problems = problemsOf(parsed.error).map((p) => {
          const [index, ...rest] = p.path.split('.');
          return { ...p, path: [pullArgNames[Number(index)] ?? index, ...rest].join('.') };
        });
        return err({
          code: 'rejected',
          message: `The pull request is not valid: ${problems.map((p) => p.path).join(', ')}.`,
          problems,
        });
      }
      const [name, from, size] = parsed.data;
      return answer(hqPullResultSchema, () => link.pull(name, from, size));
    },
    async push(events: unknown) {
      const parsed = hqPushEventsSchema.safeParse(events);
      if (!parsed.success) return rejected(parsed.error, 'The events', 'events');
      return answer(hqPushResultSchema, () => link.push(parsed.data));
    },
    async close(figures: unknown) {
      const parsed = hqCloseFiguresSchema.safeParse(figures);
      if (!parsed.success) return rejected(parsed.error, 'The day close figures');
      return answer(hqCloseResultSchema, () => link.close(parsed.data));
    },
    async lookup(query: unknown) {
      const parsed = hqLookupQuerySchema.safeParse(query);
      if (!parsed.success)
        return rejected(parsed.error, 'The lookup (give exactly one of card or phoneHash)');
      return answer(hqLookupResultSchema, () => link.lookup(parsed.data));
    },
    onHqStream(listener) {
      return link.onHqStream((message) => {
        const parsed = hqStreamMessageSchema.safeParse(message);
        if (parsed.success) listener(parsed.data);
      });
    },
  };
}

/**
 * Calls the TerminalApi method behind an invoked channel with the renderer's arguments (which the host API
 * validates). For request/answer transports: Electron's ipcMain.handle, the browser host's WebSocket.
 * Rejects for a channel that is not an invoked one.
 */
export function invokeHostApi(api: TerminalApi, channel: string, args: readonly unknown[]): Promise<unknown> {
  // The host API checks every argument at run time: the casts only satisfy the compiler.
  const a = args as readonly never[];
  switch (channel) {
    case channels.hostInfo:
      return api.hostInfo();
    case channels.deviceStatuses:
      return api.deviceStatuses();
    case channels.hqStatus:
      return api.hqStatus();
    case channels.hqEnroll:
      return api.enroll(a[0] as never);
    case channels.hqReplicationKey:
      return api.replicationKey();
    case channels.hqPull:
      return api.pull(a[0] as never, a[1] as never, a[2] as never);
    case channels.hqPush:
      return api.push(a[0] as never);
    case channels.hqClose:
      return api.close(a[0] as never);
    case channels.hqLookup:
      return api.lookup(a[0] as never);
    default:
      return Promise.reject(
        new Error(`No TerminalApi method is invoked on channel ${JSON.stringify(channel)}.`),
      );
  }
}

/** The channels invokeHostApi answers. */
export const invokedChannels = [
  channels.hostInfo,
  channels.deviceStatuses,
  channels.hqStatus,
  channels.hqEnroll,
  channels.hqReplicationKey,
  channels.hqPull,
  channels.hqPush,
  channels.hqClose,
  channels.hqLookup,
] as const;

/** Whether an IPC message comes from our renderer (a frame loaded from the app:// origin). */
export function isAppFrameUrl(url: string | null | undefined): boolean {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}
