// The terminal's configuration file (JSON), validated with zod at start-up: a bad file stops the kiosk
// with every problem listed by path rather than running half-configured.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { problemsOf, type Problem } from '../src-shared/kernel/problems.js';
import { err, ok, type Result } from '../src-shared/kernel/result.js';
import { parseDeviceConfigs, type AnyDeviceConfig } from './devices/config.js';
import { LAN_CONFIG_OFF, lanConfigSchema, type LanConfig } from './lan/lan-config.js';

export const terminalConfigSchema = z
  .object({
    /** HQ's base URL, e.g. https://hq.example.com; absent for a terminal not enrolled yet. */
    hqUrl: z.url().optional(),
    /** Serial scanners, card readers and receipt printers; see docs/hardware.md. */
    devices: z.array(z.unknown()).default([]),
    /** The store LAN (issue 16; src-main/lan/lan-config.ts): off unless `enabled`. */
    lan: lanConfigSchema.optional(),
  })
  .strict();

export interface TerminalConfig {
  hqUrl: string | undefined;
  devices: AnyDeviceConfig[];
  /** The store-LAN settings; absent (as in a configuration built by hand) means off. */
  lan?: LanConfig;
}

export function parseTerminalConfig(input: unknown): Result<TerminalConfig, Problem[]> {
  const parsed = terminalConfigSchema.safeParse(input);
  if (!parsed.success) return err(problemsOf(parsed.error));
  const devices = parseDeviceConfigs(parsed.data.devices);
  if (!devices.ok) return err(devices.error.map((p) => ({ path: `devices.${p.path}`, message: p.message })));
  return ok({ hqUrl: parsed.data.hqUrl, devices: devices.value, lan: parsed.data.lan ?? LAN_CONFIG_OFF });
}

/** Reads the file; a missing file is an empty configuration (a terminal on first start). */
export function loadTerminalConfig(path: string): Result<TerminalConfig, Problem[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return ok({ hqUrl: undefined, devices: [], lan: LAN_CONFIG_OFF });
    return err([{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
  try {
    return parseTerminalConfig(JSON.parse(text));
  } catch (error) {
    return err([{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
}
