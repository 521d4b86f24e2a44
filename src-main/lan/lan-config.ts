// The store-LAN settings of a terminal's configuration (issue 16): whether the till serves its signed
// events on the LAN, where, the peers it knows by hand beside HQ's list, and the host's timing. Off by
// default: a till opens no port until its configuration says so.
import { z } from 'zod';

/** The port a till's LAN server listens on unless configured. */
export const DEFAULT_LAN_PORT = 7421;

/**
 * A peer's LAN server as `host:port` (an IPv4 address, a bracketed IPv6 address or a host name). Any host
 * is accepted here, loopback included: a hand-written entry is the installer's word, and the peer must
 * still prove the key HQ signed for the terminal named beside it.
 */
export const lanHostPortSchema = z
  .string()
  .max(300)
  .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port')
  .refine((text) => {
    const port = Number(text.slice(text.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65_535;
  }, 'a port from 1 to 65535');

export const lanConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The address to listen on: the till's LAN interface, or 0.0.0.0 for all. */
    host: z.string().min(1).max(255).default('0.0.0.0'),
    port: z.number().int().min(1).max(65_535).default(DEFAULT_LAN_PORT),
    /**
     * Peers by hand, beside HQ's list: the till expected there (its terminal id: the key it must prove is
     * the one HQ signed for it, from HQ's list) and where its LAN server listens.
     */
    peers: z
      .array(z.object({ terminalId: z.string().min(1).max(64), address: lanHostPortSchema }).strict())
      .max(64)
      .default([]),
    /**
     * Whether the till advertises itself and looks for its colleagues by DNS-SD (mDNS) while the LAN is on.
     * On unless `false` (absent means on): a found till is admitted only with the credential HQ's list
     * holds for it, so discovery adds reach, not trust; a LAN without multicast just leaves it off. A till
     * listening on loopback only is not on the LAN and never advertises.
     */
    discovery: z.boolean().optional(),
    /** Time between pull rounds. */
    intervalMs: z.number().int().min(200).max(600_000).default(2_000),
    /** Time between refreshes of HQ's peer list (also refreshed whenever HQ comes back). */
    peersRefreshMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
    /**
     * How long a peer must have been out of this till's sight before this till relays its events to HQ
     * (the peer pushes its own while it is up; a till gone for good leaves its events with those who pulled).
     */
    relayAfterMs: z.number().int().min(0).max(86_400_000).default(600_000),
    /** Time between relay checks while HQ is reachable (also checked whenever HQ comes back). */
    relayCheckMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
  })
  .strict();
export type LanConfig = z.infer<typeof lanConfigSchema>;

/** The settings of a configuration without a `lan` section: off. */
export const LAN_CONFIG_OFF: LanConfig = lanConfigSchema.parse({});
