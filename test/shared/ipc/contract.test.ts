// The TerminalApi contract table: the types derived from it pin each method to its own channel and schemas
// (checked by the type checker: `npm run typecheck` fails when an `expectTypeOf` does not hold or a
// `@ts-expect-error` line compiles), and the channel lists are derived from it at run time.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  channels,
  everyChannelOnce,
  hqCall,
  hqPullArgsSchema,
  hqPullPageSchema,
  hqResultSchema,
  invoked,
  invokedChannels,
  invokedMethodOf,
  pushed,
  pushedChannels,
  scanEventSchema,
  terminalContract,
  terminalMethods,
  type ArgsOf,
  type ChannelOf,
  type DeviceStatus,
  type HostInfo,
  type HqApi,
  type HqLinkStatus,
  type HqLookupQuery,
  type HqResult,
  type HqStreamMessage,
  type InvokedEntry,
  type ResultOf,
  type ScanEvent,
  type SharedChannels,
  type TerminalApi,
} from '../../../src-shared/ipc/index.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import {
  pushResponseSchema,
  type Checkpoint,
  type CloseFigures,
  type CloseResponse,
  type CollectionName,
  type MemberDoc,
  type PushResponse,
} from '../../../src-shared/sync/wire.js';

describe('TerminalApi contract: types derived from the table', () => {
  it('gives each method the argument and result types of its own entry', () => {
    expectTypeOf<TerminalApi['hostInfo']>().toEqualTypeOf<() => Promise<HostInfo>>();
    expectTypeOf<TerminalApi['deviceStatuses']>().toEqualTypeOf<() => Promise<DeviceStatus[]>>();
    expectTypeOf<TerminalApi['hqStatus']>().toEqualTypeOf<() => Promise<HqLinkStatus>>();
    expectTypeOf<TerminalApi['replicationKey']>().toEqualTypeOf<() => Promise<string>>();
    expectTypeOf<TerminalApi['enroll']>().toEqualTypeOf<
      (input: {
        code: string;
        name: string;
      }) => Promise<HqResult<{ terminalId: string; storeId: string; country?: string | undefined }>>
    >();
    expectTypeOf<TerminalApi['pull']>().toEqualTypeOf<
      (
        collection: CollectionName,
        checkpoint: Checkpoint | null,
        limit: number,
      ) => Promise<HqResult<{ documents: unknown[]; checkpoint: Checkpoint }>>
    >();
    expectTypeOf<TerminalApi['push']>().toEqualTypeOf<
      (events: LedgerEvent[]) => Promise<HqResult<PushResponse>>
    >();
    expectTypeOf<TerminalApi['close']>().toEqualTypeOf<
      (figures: CloseFigures) => Promise<HqResult<CloseResponse>>
    >();
    expectTypeOf<TerminalApi['lookup']>().toEqualTypeOf<
      (query: HqLookupQuery) => Promise<HqResult<MemberDoc[]>>
    >();
    expectTypeOf<TerminalApi['onScan']>().toEqualTypeOf<
      (listener: (event: ScanEvent) => void) => () => void
    >();
    expectTypeOf<TerminalApi['onDeviceStatus']>().toEqualTypeOf<
      (listener: (status: DeviceStatus) => void) => () => void
    >();
    expectTypeOf<TerminalApi['onHqStream']>().toEqualTypeOf<
      (listener: (message: HqStreamMessage) => void) => () => void
    >();
    expectTypeOf<keyof HqApi>().toEqualTypeOf<
      | 'hqStatus'
      | 'enroll'
      | 'replicationKey'
      | 'pull'
      | 'snapshot'
      | 'push'
      | 'close'
      | 'lookup'
      | 'onHqStream'
    >();
    expectTypeOf<ChannelOf<'pull'>>().toEqualTypeOf<'terminal:hq-pull'>();
    expectTypeOf(channels.hqPull).toEqualTypeOf<'terminal:hq-pull'>();
    expectTypeOf(channels.scan).toEqualTypeOf<'terminal:scan'>();
  });

  it('does not compile a wrong pairing of channel, schemas and implementation', () => {
    // The pull channel's entry with push's answer is not the pull entry.
    // @ts-expect-error: the result schema answers push's response, not a pull page
    const pullWithPushAnswer: InvokedEntry<'terminal:hq-pull', ArgsOf['pull'], ResultOf['pull']> = hqCall(
      'terminal:hq-pull',
      {
        args: hqPullArgsSchema,
        argNames: ['collection', 'checkpoint', 'limit'],
        what: 'the pull request',
        result: hqResultSchema(pushResponseSchema),
      },
    );
    // @ts-expect-error: one method's entry in another's place (same shape of call, other channel)
    const pushInPullsPlace: (typeof terminalContract)['pull'] = terminalContract.push;
    // @ts-expect-error: an entry on another method's channel
    const pullOnPushChannel: InvokedEntry<
      ChannelOf<'push'>,
      ArgsOf['pull'],
      ResultOf['pull']
    > = terminalContract.pull;
    const pushAnswer: ResultOf['push'] = { ok: true, value: { results: [] } };
    // @ts-expect-error: an implementation that answers another method's result
    const pullAnsweringPush: TerminalApi['pull'] = () => Promise.resolve(pushAnswer);
    // @ts-expect-error: a listener given another pushed method's payload
    const statusAsScan: TerminalApi['onScan'] = (listener: (status: DeviceStatus) => void) => () => listener;
    // @ts-expect-error: the pushed payload's schema differs from the listener's type
    const scanEntry: (typeof terminalContract)['onDeviceStatus'] = pushed(
      'terminal:device-status',
      scanEventSchema,
    );
    // @ts-expect-error: an argument schema that does not give the arguments' types
    const hostInfoWithArgs: (typeof terminalContract)['hostInfo'] = invoked('terminal:host-info', {
      args: z.tuple([z.string()]),
      result: z.object({ host: z.enum(['electron', 'browser']), version: z.string() }).strict(),
    });

    // Two methods on one channel: SharedChannels names them, so the table's own check fails to compile.
    const clash = {
      a: pushed('terminal:same', scanEventSchema),
      b: hqCall('terminal:same', {
        args: hqPullArgsSchema,
        argNames: [],
        what: 'b',
        result: hqResultSchema(hqPullPageSchema),
      }),
      c: pushed('terminal:other', scanEventSchema),
    };
    expectTypeOf<SharedChannels<typeof clash>>().toEqualTypeOf<'a' | 'b'>();
    // @ts-expect-error: compiles only while no two methods share a channel
    const clashOnce: [SharedChannels<typeof clash>] extends [never] ? true : false = true;
    expectTypeOf<SharedChannels<typeof terminalContract>>().toBeNever();

    expect([
      pullWithPushAnswer,
      pushInPullsPlace,
      pullOnPushChannel,
      pullAnsweringPush,
      statusAsScan,
      scanEntry,
      hostInfoWithArgs,
      clash,
      clashOnce,
    ]).toHaveLength(9);
  });
});

describe('TerminalApi contract: channel lists derived from the table', () => {
  it('names every channel once, after the channel itself', () => {
    expect(everyChannelOnce).toBe(true);
    const all = terminalMethods.map((method) => terminalContract[method].channel);
    expect(new Set(all).size).toBe(all.length);
    expect(Object.values(channels).sort()).toEqual([...all].sort());
    expect(channels).toMatchObject({
      hostInfo: 'terminal:host-info',
      deviceStatuses: 'terminal:device-statuses',
      deviceStatus: 'terminal:device-status',
      scan: 'terminal:scan',
      hqReplicationKey: 'terminal:hq-replication-key',
      hqPull: 'terminal:hq-pull',
      hqStream: 'terminal:hq-stream',
    });
    expect([...invokedChannels, ...pushedChannels].sort()).toEqual([...all].sort());
    expect(pushedChannels).toEqual([
      channels.scan,
      channels.deviceStatus,
      channels.customerView,
      channels.hqStream,
      channels.lanStatusChanged,
      channels.lanPeerEventsStored,
    ]);
  });

  it('finds the invoked method behind a channel, and none behind a pushed or unknown one', () => {
    for (const method of terminalMethods) {
      const { kind, channel } = terminalContract[method];
      expect(invokedMethodOf(channel)).toBe(kind === 'invoked' ? method : undefined);
    }
    expect(invokedMethodOf('terminal:shell')).toBeUndefined();
    expect(invokedMethodOf('__proto__')).toBeUndefined();
  });

  it("answers an HQ call's failures as HqResult values, and the others by rejecting", () => {
    const { pull, hqStatus } = terminalContract;
    expect(pull.failures.offline('down')).toEqual({ ok: false, error: { code: 'offline', message: 'down' } });
    expect(pull.failures.rejected('bad', [{ path: 'limit', message: 'too big' }])).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'bad', problems: [{ path: 'limit', message: 'too big' }] },
    });
    expect(pull.failures.serverError('boom')).toMatchObject({ error: { code: 'server-error' } });
    expect(hqStatus.failures).toBeNull();
  });
});
