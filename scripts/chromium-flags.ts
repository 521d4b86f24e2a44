// The Chromium flags every launch of ours uses (npm start's app window, tests, benchmarks): no GPU, and
// nothing that reaches for the network, which is closed on our machines and refuses connections.
export const QUIET_CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
] as const;
