// The store-LAN part of TerminalApi (issue 16): what the renderer learns of the store's other tills
// through main. Main holds the LAN (signed log, server, peers); the renderer only asks how many peers are
// reachable and which of their events it holds for a member, and hears when either changes. The entries
// themselves are in terminal-api.ts; the schemas live here so the renderer and main share them.
import { z } from 'zod';

/**
 * A member id as the renderer asks for it: the bounds of a ledger event's memberId (1..64 characters). A
 * card placeholder (`card:…`) is accepted too, since a peer may have earned on a card this till shows.
 */
export const lanMemberIdSchema = z.string().min(1).max(64);

/** Peers main can hold at most, and so at most this many known or reachable. */
export const MAX_LAN_PEERS = 1_000;

/**
 * The till's LAN: `enabled` false when the terminal configuration has the LAN off or the till has no LAN
 * identity (not enrolled with a key), and then both counts are 0. `known`: the store's peers main knows
 * (HQ's list plus the configured ones); `reachable`: those answering now.
 */
export const lanStatusSchema = z
  .object({
    enabled: z.boolean(),
    reachable: z.number().int().nonnegative().max(MAX_LAN_PEERS),
    known: z.number().int().nonnegative().max(MAX_LAN_PEERS),
  })
  .strict();
export type LanStatus = z.infer<typeof lanStatusSchema>;

/** The LAN status when it is off: what the host answers without a LAN. */
export const LAN_OFF: LanStatus = { enabled: false, reachable: 0, known: 0 };

/** peerEvents answers at most this many events for one member. */
export const MAX_PEER_EVENTS_PER_MEMBER = 10_000;
/** onPeerEvents names at most this many members per message (main splits larger batches). */
export const MAX_PEER_EVENT_MEMBERS = 1_000;

/** onPeerEvents' message: peers' events were stored for these members; the renderer re-asks for those it shows. */
export const peerEventsChangedSchema = z
  .object({ memberIds: z.array(lanMemberIdSchema).max(MAX_PEER_EVENT_MEMBERS) })
  .strict();
export type PeerEventsChanged = z.infer<typeof peerEventsChangedSchema>;
