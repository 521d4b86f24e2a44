// The wire protocol version shared by terminals and HQ. HQ answers 426 to a terminal older than
// MIN_PROTOCOL_VERSION; replication identifiers include the version so a protocol change re-syncs.
export const PROTOCOL_VERSION = 1;
export const MIN_PROTOCOL_VERSION = 1;
export const PROTOCOL_HEADER = 'x-loyalty-protocol';
