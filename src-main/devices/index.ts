// Serial scanners, card readers and the receipt printer (docs/architecture.md section 7): configuration, discovery, framing, the devices
// and their manager. Nothing here depends on Electron; the hosts forward ScanEvents to the renderer.
export * from './binding.js';
export * from './config.js';
export * from './device-manager.js';
export * from './discovery.js';
export * from './escpos.js';
export * from './framer.js';
export * from './receipt-printer.js';
export * from './serial-device.js';
export * from './timers.js';
