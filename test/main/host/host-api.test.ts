// createHostApi: the renderer is not trusted. Bad arguments are 'rejected' results and no HTTP request is
// made; answers that do not fit the contract never cross; IPC channels dispatch to the right method, and
// the dispatcher checks arguments even for a TerminalApi it did not make.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCredentialStore, safeStorageCredentialStore } from '../../../src-main/hq/credential-store.js';
import { TerminalLink } from '../../../src-main/hq/terminal-link.js';
import {
  createHostApi,
  invokedChannels,
  invokeHostApi,
  isAppFrameUrl,
  type HostDevices,
} from '../../../src-main/host/host-api.js';
import {
  channels,
  IDLE_CUSTOMER_VIEW,
  type HqApi,
  type HqStreamMessage,
} from '../../../src-shared/ipc/index.js';
import { PROTOCOL_HEADER } from '../../../src-shared/sync/protocol.js';
import { eventFactory } from '../../support/events.js';
import { recordingFetch } from '../../support/fetch-fakes.js';
import { status } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'host-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HQ = 'http://hq.invalid:8787';
const hostInfo = { host: 'browser', version: '0.1.0' } as const;
const figures = {
  businessDay: '2025-03-03',
  firstSeq: 0,
  lastSeq: 0,
  count: 0,
  lastHash: null,
  pointsIssued: 0,
  pointsRedeemed: 0,
};

/** A link enrolled with a saved credential, over a fetch that counts calls and answers `reply`. */
async function countingLink(reply: () => Response = () => new Response('{}', { status: 500 })) {
  const path = join(dir, `credential-${Math.random().toString(36).slice(2)}.json`);
  const credentials = fileCredentialStore(path);
  await credentials.save({
    terminalId: 't-1',
    storeId: 's-1',
    token: 'a'.repeat(43),
    hqUrl: HQ,
  });
  const { fetch, calls } = recordingFetch(reply);
  const link = new TerminalLink({ hqUrl: HQ, credentials, fetch });
  return { link, calls, api: createHostApi({ link, hostInfo }) };
}

describe('createHostApi', () => {
  it('rejects invalid arguments from the renderer without any HTTP request', async () => {
    const { api, calls } = await countingLink();
    const f = eventFactory({ terminalId: 't-1', storeId: 's-1' });
    const good = f.enrolled('m-1');
    const answers = [
      await api.pull('accounts' as never, null, 10),
      await api.pull('members', { seq: -1 }, 10),
      await api.pull('members', null, 0),
      await api.pull('members', null, 1e9),
      await api.pull('members', '5' as never, 10),
      await api.push([]),
      await api.push('events' as never),
      await api.push([
        { ...good, terminalSeq: 0 },
        { ...good, occurredAt: 'yesterday' },
      ]),
      await api.push([{ ...good, card: '4111111111111111' } as never]),
      await api.close({ businessDay: 'today' } as never),
      await api.lookup({ card: '1', phoneHash: 'a'.repeat(64) }),
      await api.lookup({ phoneHash: 'not-a-hash' }),
      await api.enroll({ code: 42, name: '' } as never),
      await api.enroll(null as never),
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ ok: false, error: { code: 'rejected' } });
      expect(answer.ok || (answer.error.problems ?? []).length > 0).toBe(true);
    }
    expect(calls).toEqual([]);
    const pull = answers[0];
    expect(pull?.ok === false && pull.error.problems?.[0]?.path).toBe('collection');
    const push = answers[7];
    expect(push?.ok === false && push.error.problems?.map((p) => p.path)).toEqual([
      'events.0.terminalSeq',
      'events.1.occurredAt',
    ]);
  });

  it('passes valid arguments on to HQ', async () => {
    const { api, calls } = await countingLink(
      () =>
        new Response(JSON.stringify({ member: null }), { status: 200, headers: { [PROTOCOL_HEADER]: '1' } }),
    );
    expect(await api.lookup({ card: '7280001111222233' })).toEqual({ ok: true, value: [] });
    // By card, the till asks HQ to keep the member for its store (src-shared/sync/scope.ts).
    expect(calls.map((c) => c.url)).toEqual([`${HQ}/v1/scope/members`]);
  });

  it('maps HQ’s 426 to upgrade-required', async () => {
    const { api } = await countingLink(
      () =>
        new Response(
          JSON.stringify({ error: 'protocol-too-old', message: 'Update the terminal software.' }),
          {
            status: 426,
            headers: { [PROTOCOL_HEADER]: '2', 'content-type': 'application/json' },
          },
        ),
    );
    expect(await api.pull('members', null, 10)).toEqual({
      ok: false,
      error: { code: 'upgrade-required', message: 'Update the terminal software.' },
    });
    expect(await api.hqStatus()).toMatchObject({
      online: true,
      lastError: { code: 'upgrade-required' },
    });
  });

  it('does not spend an enrollment code when no credential can be kept (safeStorage basic_text)', async () => {
    const { fetch, calls } = recordingFetch(() => new Response('{}'));
    const link = new TerminalLink({
      hqUrl: HQ,
      credentials: safeStorageCredentialStore(
        {
          isEncryptionAvailable: () => true,
          encryptString: (s) => Buffer.from(s),
          decryptString: (b) => b.toString(),
          getSelectedStorageBackend: () => 'basic_text',
        },
        join(dir, 'basic.json'),
        { platform: 'linux' },
      ),
      fetch,
    });
    const api = createHostApi({ link, hostInfo });
    const result = await api.enroll({ code: 'K7QM-2XHD-R9TB', name: 'Till 1' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-enrolled' } });
    expect(!result.ok && result.error.message).toContain('basic_text');
    expect(calls).toEqual([]);
    expect(await api.hqStatus()).toMatchObject({ enrolled: false, lastError: { code: 'not-enrolled' } });
  });

  it('lets no answer or stream message that breaks the contract through', async () => {
    const heard: HqStreamMessage[] = [];
    let emit: (message: unknown) => void = () => undefined;
    const link: HqApi = {
      hqStatus: async () => ({ enrolled: true }) as never,
      enroll: async () => ({ ok: true, value: { terminalId: 't', storeId: 's', token: 'secret' } }) as never,
      replicationKey: async () => 'not-a-hash',
      pull: async () => ({ ok: true, value: { documents: [], checkpoint: { seq: -1 } } }),
      snapshot: async () =>
        ({ ok: true, value: { documents: [], checkpoint: { seq: 0 }, last: null, done: 'yes' } }) as never,
      push: async () => {
        throw new Error('boom at http://10.0.0.1');
      },
      close: async () => ({ ok: false, error: { code: 'offline', message: 'down' } }),
      lookup: async () => ({ ok: true, value: [] }),
      onHqStream: (listener) => {
        emit = listener as (message: unknown) => void;
        return () => undefined;
      },
    };
    const api = createHostApi({ link, hostInfo });
    await expect(api.hqStatus()).rejects.toThrow();
    await expect(api.replicationKey()).rejects.toThrow();
    expect(await api.enroll({ code: 'K7QM-2XHD-R9TB', name: 'Till' })).toMatchObject({
      ok: false,
      error: { code: 'server-error' },
    });
    expect(await api.pull('members', null, 1)).toMatchObject({ ok: false, error: { code: 'server-error' } });
    const pushed = await api.push([eventFactory().enrolled('m-1')]);
    expect(pushed).toMatchObject({ ok: false, error: { code: 'server-error' } });
    expect(JSON.stringify(pushed)).not.toContain('10.0.0.1');
    expect(await api.close(figures)).toEqual({ ok: false, error: { code: 'offline', message: 'down' } });

    api.onHqStream((m) => heard.push(m));
    emit({ type: 'RESYNC' });
    emit({ type: 'changed', collections: ['nope'] });
    emit({ type: 'DISCONNECTED', url: HQ });
    emit({ type: 'DISCONNECTED' });
    expect(heard).toEqual([{ type: 'RESYNC' }, { type: 'DISCONNECTED' }]);
  });

  it('serves scans and device health when given devices, and nothing without', async () => {
    let scan: (event: unknown) => void = () => undefined;
    const devices: HostDevices = {
      onScan: (listener) => {
        scan = listener as (event: unknown) => void;
        return () => undefined;
      },
      onStatus: () => () => undefined,
      statuses: () => [status],
    };
    const { link } = await countingLink();
    const api = createHostApi({ link, devices, hostInfo: () => hostInfo });
    expect(await api.deviceStatuses()).toEqual([status]);
    expect(await api.hostInfo()).toEqual(hostInfo);
    const scans: unknown[] = [];
    api.onScan((e) => scans.push(e));
    scan({ deviceId: 'front', role: 'barcode', at: 'now', result: { kind: 'text' } });
    expect(scans).toEqual([]);
    expect(await createHostApi({ link, hostInfo }).deviceStatuses()).toEqual([]);
  });

  it('without a LAN answers it off, holds no peers’ events and pushes nothing', async () => {
    const { link, calls } = await countingLink();
    const api = createHostApi({ link, hostInfo });
    expect(await api.lanStatus()).toEqual({ enabled: false, reachable: 0, known: 0 });
    expect(await api.peerEvents('m-1')).toEqual([]);
    const heard: unknown[] = [];
    api.onLanStatus((s) => heard.push(s))();
    api.onPeerEvents((c) => heard.push(c))();
    expect(heard).toEqual([]);
    expect(calls).toHaveLength(0);
    // A member id out of bounds is refused before any LAN is asked.
    await expect(api.peerEvents('')).rejects.toThrow(/member id/);
    expect(await api.keepOwnEvents([eventFactory().enrolled('m-1')])).toBe(null);
  });

  it("hands the renderer's own events to the LAN's log (recordOwn), and a failure there is not the renderer's", async () => {
    const { link } = await countingLink();
    const recorded: string[][] = [];
    let fail = false;
    const lan = {
      status: () => ({ enabled: true, reachable: 0, known: 0 }),
      onStatus: () => () => undefined,
      peerEvents: async () => [],
      onPeerEvents: () => () => undefined,
      recordOwn: async (events: readonly { id: string }[]) => {
        if (fail) throw new Error('disk full');
        recorded.push(events.map((e) => e.id));
      },
    };
    const api = createHostApi({ link, hostInfo, lan });
    const event = eventFactory().enrolled('m-1');
    expect(await api.keepOwnEvents([event])).toBe(null);
    expect(recorded).toEqual([[event.id]]);
    fail = true;
    expect(await api.keepOwnEvents([event])).toBe(null);
  });
});

describe('invokeHostApi', () => {
  it('dispatches every invoked channel to its method with the arguments, checked once', async () => {
    const { api } = await countingLink();
    const called: string[] = [];
    const spy = new Proxy(api, {
      get: (target, name: string) => {
        const value = target[name as keyof typeof target];
        return typeof value === 'function'
          ? (...args: unknown[]) => {
              called.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            }
          : value;
      },
    });
    const args: Record<string, unknown[]> = {
      [channels.hqEnroll]: [{ code: 'K7QM-2XHD-R9TB', name: 'Till 1' }],
      [channels.hqPull]: ['members', null, 5],
      [channels.hqSnapshot]: [{ checkpoint: null, after: null }, 100],
      [channels.hqPush]: [[eventFactory().enrolled('m-1')]],
      [channels.hqClose]: [figures],
      [channels.hqLookup]: [{ card: '123' }],
      [channels.checkPin]: [{ staffId: 'camille', pin: '2468', purpose: 'sign-in' }],
      [channels.phoneLookupKey]: ['+353871234567'],
      [channels.printSlip]: [{ kind: 'enroll', eventId: eventFactory().nextId(), lines: [{ kind: 'rule' }] }],
      [channels.customerViewSet]: [IDLE_CUSTOMER_VIEW],
      [channels.lanPeerEvents]: ['m-1'],
      [channels.lanKeepOwnEvents]: [[eventFactory().enrolled('m-1')]],
    };
    for (const channel of invokedChannels) await invokeHostApi(spy, channel, args[channel] ?? []);
    expect(called.map((call) => call.slice(0, call.indexOf('(')))).toEqual([
      'hostInfo',
      'checkPin',
      'phoneLookupKey',
      'deviceStatuses',
      'printSlip',
      'setCustomerView',
      'hqStatus',
      'enroll',
      'replicationKey',
      'pull',
      'snapshot',
      'push',
      'close',
      'lookup',
      'lanStatus',
      'peerEvents',
      'keepOwnEvents',
    ]);
    expect(called).toContain('pull("members",null,5)');
    expect(called).toContain('peerEvents("m-1")');
    expect(called).toContain('lookup({"card":"123"})');
    await expect(invokeHostApi(api, channels.scan, [])).rejects.toThrow();
    await expect(invokeHostApi(api, 'terminal:shell', [])).rejects.toThrow();
  });

  it("checks the renderer's arguments itself, whatever TerminalApi it is given", async () => {
    const calls: string[] = [];
    const { api } = await countingLink();
    // A TerminalApi not made by createHostApi (a test double, a wrapper): the dispatcher still checks.
    const wrapper = {
      ...api,
      pull: (...args: Parameters<typeof api.pull>) => (calls.push('pull'), api.pull(...args)),
    };
    expect(await invokeHostApi(wrapper, channels.hqPull, ['accounts', null, 1e9])).toMatchObject({
      ok: false,
      error: { code: 'rejected', problems: [{ path: 'collection' }, { path: 'limit' }] },
    });
    expect(calls).toEqual([]);
    // Methods without arguments refuse any, rather than ignoring them.
    await expect(invokeHostApi(wrapper, channels.hostInfo, ['extra'])).rejects.toThrow(/Not valid/);
    expect(await invokeHostApi(wrapper, channels.hostInfo, [])).toEqual(hostInfo);
  });

  it('knows our renderer’s frames from any other', () => {
    expect(isAppFrameUrl('app://terminal/index.html')).toBe(true);
    expect(isAppFrameUrl('app://terminal')).toBe(true);
    expect(isAppFrameUrl('app://terminal.evil/index.html')).toBe(false);
    expect(isAppFrameUrl('https://example.com/')).toBe(false);
    expect(isAppFrameUrl('')).toBe(false);
    expect(isAppFrameUrl(undefined)).toBe(false);
  });
});
