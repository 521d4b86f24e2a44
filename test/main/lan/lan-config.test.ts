// The store-LAN settings (issue 16): off unless turned on, bounded, strict.
import { describe, expect, it } from 'vitest';
import { parseTerminalConfig } from '../../../src-main/config.js';
import { DEFAULT_LAN_PORT, lanConfigSchema } from '../../../src-main/lan/lan-config.js';

describe('lanConfigSchema', () => {
  it('is off by default, with the default port and no manual peers', () => {
    expect(lanConfigSchema.parse({})).toEqual({
      enabled: false,
      host: '0.0.0.0',
      port: DEFAULT_LAN_PORT,
      peers: [],
      intervalMs: 2_000,
      peersRefreshMs: 300_000,
      relayAfterMs: 600_000,
      relayCheckMs: 60_000,
    });
  });

  it.each([
    { port: 0 },
    { port: 70_000 },
    { enabled: 'yes' },
    { peers: [{ terminalId: 't-b', address: 'not an address' }] },
    { peers: [{ terminalId: 't-b', address: '10.0.0.12:0' }] },
    { peers: [{ terminalId: 't-b', address: '10.0.0.12:70000' }] },
    { peers: [{ terminalId: 't-b', url: 'http://10.0.0.12:7421' }] },
    { relayAfterMs: -1 },
    { intervalMs: 10 },
    { unknown: true },
  ])('refuses %j', (input) => {
    expect(lanConfigSchema.safeParse(input).success).toBe(false);
  });

  it('takes manual peers as a terminal id and host:port', () => {
    const peers = [
      { terminalId: 't-b', address: '10.0.0.12:7421' },
      { terminalId: 't-c', address: '[fd00::12]:7421' },
      { terminalId: 't-d', address: 'till-d.local:7421' },
    ];
    expect(lanConfigSchema.parse({ enabled: true, peers }).peers).toEqual(peers);
  });
});

describe('the terminal configuration’s lan section', () => {
  it('is off when absent, and checked by path when wrong', () => {
    const absent = parseTerminalConfig({ hqUrl: 'https://hq.example.com' });
    expect(absent.ok && absent.value.lan).toEqual(lanConfigSchema.parse({}));
    const on = parseTerminalConfig({ lan: { enabled: true, port: 7500 } });
    expect(on.ok && on.value.lan).toMatchObject({ enabled: true, port: 7500, host: '0.0.0.0' });
    const wrong = parseTerminalConfig({ lan: { enabled: true, port: 0 } });
    expect(wrong.ok ? [] : wrong.error.map((p) => p.path)).toEqual(['lan.port']);
  });
});
