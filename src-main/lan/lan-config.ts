// The store-LAN settings of a terminal's configuration (issue 16): whether the till serves its signed
// events on the LAN, where, and the peers it knows by hand (HQ's list and DNS-SD come later). Off by
// default: a till opens no port until its configuration says so.
import { z } from 'zod';

/** The port a till's LAN server listens on unless configured. */
export const DEFAULT_LAN_PORT = 7421;

export const lanConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The address to listen on: the till's LAN interface, or 0.0.0.0 for all. */
    host: z.string().min(1).max(255).default('0.0.0.0'),
    port: z.number().int().min(1).max(65_535).default(DEFAULT_LAN_PORT),
    /** Peers' LAN server URLs by terminal id (a manual list, beside HQ's). */
    peers: z
      .array(z.object({ terminalId: z.string().min(1).max(64), url: z.url() }).strict())
      .max(64)
      .default([]),
    /** Time between pull rounds. */
    intervalMs: z.number().int().min(200).max(600_000).default(2_000),
  })
  .strict();
export type LanConfig = z.infer<typeof lanConfigSchema>;
