// The store-LAN settings (issue 16): off unless turned on, bounded, strict.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAN_PORT, lanConfigSchema } from '../../../src-main/lan/lan-config.js';

describe('lanConfigSchema', () => {
  it('is off by default, with the default port and no manual peers', () => {
    expect(lanConfigSchema.parse({})).toEqual({
      enabled: false,
      host: '0.0.0.0',
      port: DEFAULT_LAN_PORT,
      peers: [],
      intervalMs: 2_000,
    });
  });

  it.each([
    { port: 0 },
    { port: 70_000 },
    { enabled: 'yes' },
    { peers: [{ terminalId: 't-b', url: 'not a url' }] },
    { intervalMs: 10 },
    { unknown: true },
  ])('refuses %j', (input) => {
    expect(lanConfigSchema.safeParse(input).success).toBe(false);
  });
});
